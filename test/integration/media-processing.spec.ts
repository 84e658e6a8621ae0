import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import sharp from 'sharp';
import { MediaKind } from '../../src/modules/media/media.enums';
import { checkAnnouncedUpload, matchesMagic } from '../../src/modules/media/media-types';
import { makeImageVariants, MediaRejectedError } from '../../src/modules/media/processing/image-variants';
import { hasGpsIfd, jpegWithGps, pngBomb } from '../fixtures/media/images';

describe('image variants (sharp)', () => {
  it('refuses decompression bombs before decoding, whatever the completion check saw', async () => {
    await expect(makeImageVariants(pngBomb(100000, 100000))).rejects.toThrow(MediaRejectedError);
    await expect(makeImageVariants(pngBomb(11000, 11000))).rejects.toThrow(/megapixels/);
    await expect(makeImageVariants(pngBomb(12001, 10))).rejects.toThrow(/12,000 px a side/);
  });

  it('decodes HEIC (what iPhones send) into the three variants', async () => {
    // test/fixtures/media/photo.heic: 640×480, encoded with libheif's heif-enc (x265) from a JPEG with GPS EXIF.
    const heic = readFileSync(join(__dirname, '..', 'fixtures', 'media', 'photo.heic'));
    expect(matchesMagic('image/heic', heic)).toBe(true);
    expect(matchesMagic('image/jpeg', heic)).toBe(false);
    const out = await makeImageVariants(heic);
    expect([out.width, out.height]).toEqual([640, 480]);
    const sizes = Object.fromEntries(Object.entries(out.variants).map(([k, v]) => [k, [v.width, v.height]]));
    expect(sizes).toEqual({ thumbnail: [150, 150], preview: [640, 480], full: [640, 480] });
    const full = await sharp(out.variants.full.data).metadata();
    expect([full.format, full.exif]).toEqual(['webp', undefined]);
    // Colours survive the HEVC round trip: the top-left quarter of the fixture is yellow.
    const { data } = await sharp(out.variants.full.data)
      .extract({ left: 10, top: 10, width: 1, height: 1 })
      .raw()
      .toBuffer({ resolveWithObject: true });
    expect(data[0]).toBeGreaterThan(200);
    expect(data[2]).toBeLessThan(100);
  });

  it('refuses bytes that are no image with a readable reason', async () => {
    await expect(makeImageVariants(Buffer.from('plain text'))).rejects.toThrow(/could not be read as an image/);
  });

  it('turns variants upright by EXIF orientation and drops EXIF', async () => {
    const rotated = await sharp(await jpegWithGps(400, 200))
      .withMetadata({ orientation: 6 })
      .jpeg()
      .toBuffer();
    expect(hasGpsIfd((await sharp(rotated).metadata()).exif)).toBe(true);
    const out = await makeImageVariants(rotated);
    expect([out.width, out.height]).toEqual([200, 400]);
    expect([out.variants.full.width, out.variants.full.height]).toEqual([200, 400]);
    expect([out.variants.preview.width, out.variants.preview.height]).toEqual([200, 400]);
    for (const v of Object.values(out.variants)) expect((await sharp(v.data).metadata()).exif).toBeUndefined();
  });
});

describe('announced uploads and magic bytes', () => {
  it('accepts what is documented and names the field of what is not', () => {
    expect(
      checkAnnouncedUpload({ kind: MediaKind.IMAGE, fileName: '사진.JPG', mimeType: 'image/jpeg', size: 10 * 1024 * 1024 }),
    ).toBeNull();
    expect(
      checkAnnouncedUpload({ kind: MediaKind.VIDEO, fileName: 'v.mov', mimeType: 'video/quicktime', size: 200 * 1024 * 1024 }),
    ).toBeNull();
    expect(
      checkAnnouncedUpload({ kind: MediaKind.VIDEO, fileName: 'v.mov', mimeType: 'video/quicktime', size: 200 * 1024 * 1024 + 1 })?.[0],
    ).toBe('size');
    expect(checkAnnouncedUpload({ kind: MediaKind.FILE, fileName: 'a\u0007.pdf', mimeType: 'application/pdf', size: 1 })?.[0]).toBe(
      'fileName',
    );
    expect(checkAnnouncedUpload({ kind: MediaKind.FILE, fileName: 'a.pdf', mimeType: 'image/jpeg', size: 1 })?.[0]).toBe('mimeType');
  });

  it('matches first bytes against the announced type', async () => {
    const jpeg = await jpegWithGps(20, 20);
    expect(matchesMagic('image/jpeg', jpeg)).toBe(true);
    expect(matchesMagic('image/png', jpeg)).toBe(false);
    expect(matchesMagic('image/jpeg', Buffer.from('hello'))).toBe(false);
    expect(matchesMagic('application/pdf', Buffer.from('%PDF-1.7\n'))).toBe(true);
    expect(matchesMagic('text/plain', Buffer.from('안녕하세요\n', 'utf8'))).toBe(true);
    expect(matchesMagic('text/plain', Buffer.from([0x4d, 0x5a, 0x00, 0x00]))).toBe(false);
    const mp4 = Buffer.concat([Buffer.from([0, 0, 0, 0x20]), Buffer.from('ftypisom'), Buffer.alloc(8)]);
    expect(matchesMagic('video/mp4', mp4)).toBe(true);
    expect(matchesMagic('video/webm', mp4)).toBe(false);
    expect(matchesMagic('image/jpeg', Buffer.alloc(0))).toBe(false);
  });
});
