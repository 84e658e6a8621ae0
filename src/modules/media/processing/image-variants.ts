import convertHeic from 'heic-convert';
import sharp, { Metadata } from 'sharp';
import { IMAGE_MAX_PIXELS, IMAGE_MAX_SIDE } from '../media-types';

/** A refusal that no retry can change (bad image, too big): the media ends FAILED with this text. */
export class MediaRejectedError extends Error {
  override name = 'MediaRejectedError';
}

export const VARIANTS = {
  thumbnail: { width: 150, height: 150, fit: 'cover' as const },
  preview: { width: 800, height: 800, fit: 'inside' as const },
  full: null,
};
export type VariantName = keyof typeof VARIANTS;
export const VARIANT_MIME = 'image/webp';

export interface ImageVariants {
  width: number;
  height: number;
  variants: Record<VariantName, { data: Buffer; width: number; height: number }>;
}

const INPUT = { limitInputPixels: IMAGE_MAX_PIXELS, failOn: 'error' as const };

/**
 * HEIC (HEVC in HEIF) as a JPEG sharp can read: the prebuilt sharp reads its header but cannot
 * decode HEVC. libheif applies the HEIF rotation and mirror boxes while decoding, so the JPEG is
 * upright; it carries no EXIF. Called after checkDimensions, so no bomb reaches the decoder.
 */
async function decodableBySharp(input: Buffer): Promise<Buffer> {
  const meta = await sharp(input, { limitInputPixels: false }).metadata();
  if (meta.format !== 'heif' || meta.compression !== 'hevc') return input;
  try {
    return Buffer.from(await convertHeic({ buffer: input, format: 'JPEG', quality: 0.92 }));
  } catch (err) {
    throw new MediaRejectedError(`the HEIC image could not be decoded (${(err as Error).message})`);
  }
}

/** Dimensions as displayed (after EXIF orientation), or a MediaRejectedError for what no variant can be made of. */
export async function checkDimensions(input: Buffer): Promise<{ width: number; height: number }> {
  let meta: Metadata;
  try {
    // Header only: no pixels are decoded here, so the limits are checked by us, with our wording.
    meta = await sharp(input, { limitInputPixels: false }).metadata();
  } catch (err) {
    throw new MediaRejectedError(`the file could not be read as an image (${(err as Error).message})`);
  }
  const width = meta.autoOrient?.width ?? meta.width;
  const height = meta.autoOrient?.height ?? meta.height;
  if (!width || !height) throw new MediaRejectedError('the image has no readable dimensions');
  return assertWithinLimits(width, height);
}

export function assertWithinLimits(width: number, height: number): { width: number; height: number } {
  if (width > IMAGE_MAX_SIDE || height > IMAGE_MAX_SIDE) {
    throw new MediaRejectedError(
      `the image is ${width}×${height} px; at most ${IMAGE_MAX_SIDE.toLocaleString('en')} px a side are accepted`,
    );
  }
  if (width * height > IMAGE_MAX_PIXELS) {
    throw new MediaRejectedError(
      `the image has ${Math.round((width * height) / 1e6)} megapixels; at most ${IMAGE_MAX_PIXELS / 1e6} are accepted`,
    );
  }
  return { width, height };
}

/**
 * thumbnail (150×150, cover), preview (fits 800×800, never enlarged) and full, all WebP, turned
 * upright by their EXIF orientation. sharp writes no metadata unless asked, so EXIF (GPS location
 * included), XMP and IPTC of the original are not in what others download.
 * Decompression bombs are refused: dimensions are checked from the header before any decoding, and
 * libvips itself refuses more than IMAGE_MAX_PIXELS (limitInputPixels).
 */
export async function makeImageVariants(original: Buffer): Promise<ImageVariants> {
  const { width, height } = await checkDimensions(original);
  const input = await decodableBySharp(original);
  const render = async (name: VariantName) => {
    const spec = VARIANTS[name];
    let pipeline = sharp(input, INPUT).rotate();
    if (spec) pipeline = pipeline.resize(spec.width, spec.height, { fit: spec.fit, withoutEnlargement: spec.fit === 'inside' });
    const { data, info } = await pipeline.webp({ quality: name === 'full' ? 85 : 80 }).toBuffer({ resolveWithObject: true });
    return { data, width: info.width, height: info.height };
  };
  try {
    const [thumbnail, preview, full] = [await render('thumbnail'), await render('preview'), await render('full')];
    return { width, height, variants: { thumbnail, preview, full } };
  } catch (err) {
    throw new MediaRejectedError(`the image could not be decoded (${(err as Error).message})`);
  }
}
