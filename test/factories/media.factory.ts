import { randomBytes } from 'node:crypto';
import { Media } from '../../src/modules/media/media.entity';
import { MediaKind, MediaStatus } from '../../src/modules/media/media.enums';
import { idOf, UserRef } from './ref';

/**
 * An uploaded media row of `owner` through the entity (the upload routes that will create media
 * are not built yet). UPLOADED image unless told.
 */
export async function createMedia(
  owner: UserRef,
  overrides: Partial<Pick<Media, 'kind' | 'status' | 'fileName' | 'mimeType'>> = {},
): Promise<Media> {
  const tag = randomBytes(3).toString('hex');
  return Media.create({
    ownerId: idOf(owner),
    kind: MediaKind.IMAGE,
    status: MediaStatus.UPLOADED,
    storageKey: `test/${tag}`,
    fileName: `photo-${tag}.jpg`,
    mimeType: 'image/jpeg',
    size: '1024',
    ...overrides,
  }).save();
}
