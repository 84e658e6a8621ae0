/** The part of heic-convert (ships no types) that the image pipeline uses. */
declare module 'heic-convert' {
  function convert(options: { buffer: Buffer | Uint8Array | ArrayBuffer; format: 'JPEG' | 'PNG'; quality?: number }): Promise<Uint8Array>;
  export = convert;
}
