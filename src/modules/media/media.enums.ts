export enum MediaKind {
  IMAGE = 'image',
  VIDEO = 'video',
  FILE = 'file',
}

export enum MediaProvider {
  LOCAL = 'local',
  R2 = 'r2',
  CLOUDFLARE_IMAGES = 'cloudflare_images',
  CLOUDFLARE_STREAM = 'cloudflare_stream',
}

export enum MediaStatus {
  PENDING = 'PENDING',
  UPLOADED = 'UPLOADED',
  PROCESSING = 'PROCESSING',
  READY = 'READY',
  FAILED = 'FAILED',
}
