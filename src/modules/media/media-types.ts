import { MediaKind } from './media.enums';

const MiB = 1024 * 1024;

/**
 * What an upload may be, per kind: the documented limits (README "Media").
 * Images: Cloudflare Images' own limits (10 MB, 100 megapixels, 12,000 px a side), so the same
 * file is accepted whether Cloudflare or the local variants handle it.
 */
export const MEDIA_LIMITS: Record<MediaKind, { maxBytes: number }> = {
  [MediaKind.IMAGE]: { maxBytes: 10 * MiB },
  [MediaKind.VIDEO]: { maxBytes: 200 * MiB },
  [MediaKind.FILE]: { maxBytes: 50 * MiB },
};

export const IMAGE_MAX_PIXELS = 100_000_000;
export const IMAGE_MAX_SIDE = 12_000;

/** How many leading bytes the completion check reads. */
export const MAGIC_BYTES = 64;

interface TypeRule {
  kind: MediaKind;
  extensions: string[];
  /** Do these first bytes look like this type? */
  sniff: (head: Buffer) => boolean;
}

const at = (head: Buffer, offset: number, bytes: number[] | string): boolean => {
  const want = typeof bytes === 'string' ? Buffer.from(bytes, 'latin1') : Buffer.from(bytes);
  return head.length >= offset + want.length && head.subarray(offset, offset + want.length).equals(want);
};

/** ISO base media (MP4, MOV, HEIF): `ftyp` box at offset 4, then the major brand. */
const ftypBrand = (head: Buffer): string | null =>
  at(head, 4, 'ftyp') && head.length >= 12 ? head.subarray(8, 12).toString('latin1') : null;
const HEIF_BRANDS = new Set(['heic', 'heix', 'heim', 'heis', 'hevc', 'hevx', 'mif1', 'msf1']);

const isZip = (h: Buffer) => at(h, 0, [0x50, 0x4b, 0x03, 0x04]) || at(h, 0, [0x50, 0x4b, 0x05, 0x06]);
const isOle = (h: Buffer) => at(h, 0, [0xd0, 0xcf, 0x11, 0xe0, 0xa1, 0xb1, 0x1a, 0xe1]);
/** Text: no NUL and no other C0 control bytes except tab, newline, carriage return, form feed (UTF-8 or legacy encodings pass). */
const isText = (h: Buffer) => h.every((b) => b >= 0x20 || b === 0x09 || b === 0x0a || b === 0x0d || b === 0x0c);

/** The accepted MIME types, their kind, file name extensions and magic bytes. Anything else is refused. */
export const MEDIA_TYPES: Record<string, TypeRule> = {
  'image/jpeg': { kind: MediaKind.IMAGE, extensions: ['jpg', 'jpeg'], sniff: (h) => at(h, 0, [0xff, 0xd8, 0xff]) },
  'image/png': { kind: MediaKind.IMAGE, extensions: ['png'], sniff: (h) => at(h, 0, [0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]) },
  'image/webp': { kind: MediaKind.IMAGE, extensions: ['webp'], sniff: (h) => at(h, 0, 'RIFF') && at(h, 8, 'WEBP') },
  'image/gif': { kind: MediaKind.IMAGE, extensions: ['gif'], sniff: (h) => at(h, 0, 'GIF87a') || at(h, 0, 'GIF89a') },
  /** What iPhones send: decoded with heic-convert (libheif in wasm), since the prebuilt sharp cannot decode HEVC. */
  'image/heic': { kind: MediaKind.IMAGE, extensions: ['heic', 'heif'], sniff: (h) => HEIF_BRANDS.has(ftypBrand(h) ?? '') },
  'image/heif': { kind: MediaKind.IMAGE, extensions: ['heif', 'heic'], sniff: (h) => HEIF_BRANDS.has(ftypBrand(h) ?? '') },
  'video/mp4': {
    kind: MediaKind.VIDEO,
    extensions: ['mp4', 'm4v'],
    sniff: (h) => ftypBrand(h) !== null && ftypBrand(h) !== 'qt  ' && !HEIF_BRANDS.has(ftypBrand(h) as string),
  },
  'video/quicktime': {
    kind: MediaKind.VIDEO,
    extensions: ['mov'],
    sniff: (h) => ftypBrand(h) !== null || ['moov', 'mdat', 'wide', 'free'].some((box) => at(h, 4, box)),
  },
  'video/webm': { kind: MediaKind.VIDEO, extensions: ['webm'], sniff: (h) => at(h, 0, [0x1a, 0x45, 0xdf, 0xa3]) },
  'application/pdf': { kind: MediaKind.FILE, extensions: ['pdf'], sniff: (h) => at(h, 0, '%PDF-') },
  'application/zip': { kind: MediaKind.FILE, extensions: ['zip'], sniff: isZip },
  'text/plain': { kind: MediaKind.FILE, extensions: ['txt', 'md', 'log'], sniff: isText },
  'text/csv': { kind: MediaKind.FILE, extensions: ['csv'], sniff: isText },
  'application/vnd.openxmlformats-officedocument.wordprocessingml.document': { kind: MediaKind.FILE, extensions: ['docx'], sniff: isZip },
  'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet': { kind: MediaKind.FILE, extensions: ['xlsx'], sniff: isZip },
  'application/vnd.openxmlformats-officedocument.presentationml.presentation': { kind: MediaKind.FILE, extensions: ['pptx'], sniff: isZip },
  'application/msword': { kind: MediaKind.FILE, extensions: ['doc'], sniff: isOle },
  'application/vnd.ms-excel': { kind: MediaKind.FILE, extensions: ['xls'], sniff: isOle },
  /** Hangul Word Processor: .hwp is OLE, .hwpx is zip. */
  'application/x-hwp': { kind: MediaKind.FILE, extensions: ['hwp'], sniff: isOle },
  'application/vnd.hancom.hwpx': { kind: MediaKind.FILE, extensions: ['hwpx'], sniff: isZip },
};

/** The extension of a file name, lower-case, without the dot ('' when none). */
export function extensionOf(fileName: string): string {
  const dot = fileName.lastIndexOf('.');
  return dot > 0 ? fileName.slice(dot + 1).toLowerCase() : '';
}

/** A problem with an announced upload, as [field, problem], or null when it is acceptable. */
export function checkAnnouncedUpload(u: { kind: MediaKind; fileName: string; mimeType: string; size: number }): [string, string] | null {
  const rule = MEDIA_TYPES[u.mimeType];
  if (!rule) return ['mimeType', `is not an accepted type (accepted: ${Object.keys(MEDIA_TYPES).join(', ')})`];
  if (rule.kind !== u.kind) return ['mimeType', `${u.mimeType} is not of kind ${u.kind}`];
  if (
    [...u.fileName].some((c) => c === '/' || c === '\\' || c.charCodeAt(0) < 0x20 || c.charCodeAt(0) === 0x7f) ||
    u.fileName === '.' ||
    u.fileName === '..'
  ) {
    return ['fileName', 'must be a plain file name without path separators or control characters'];
  }
  if (!rule.extensions.includes(extensionOf(u.fileName)))
    return ['fileName', `must end in .${rule.extensions.join(' or .')} for ${u.mimeType}`];
  const max = MEDIA_LIMITS[u.kind].maxBytes;
  if (u.size > max) return ['size', `must be at most ${max} bytes for ${u.kind} uploads`];
  return null;
}

/** Whether the first bytes of the stored object match the announced MIME type. */
export function matchesMagic(mimeType: string, head: Buffer): boolean {
  const rule = MEDIA_TYPES[mimeType];
  return !!rule && head.length > 0 && rule.sniff(head);
}
