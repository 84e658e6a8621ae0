import { Injectable } from '@nestjs/common';
import { createHmac, timingSafeEqual } from 'node:crypto';
import { EnvironmentVariables } from '../../../config/env';
import { CloudflareClient, CloudflareRequestError } from './cloudflare-client';

const KiB = 1024;
const MiB = 1024 * KiB;
/** Stream's TUS chunk rules: at least 5 MiB, a multiple of 256 KiB (the last chunk excepted), at most 200 MiB. */
export const TUS_CHUNK = { min: 5 * MiB, multiple: 256 * KiB, max: 200 * MiB };
/** What we advise clients: 5 MiB, the smallest valid chunk, so a flaky network loses little. */
export const TUS_RECOMMENDED_CHUNK = 5 * MiB;

/** The parts of Stream's video object we use. */
export interface StreamVideo {
  uid: string;
  readyToStream?: boolean;
  status?: { state?: string; errorReasonCode?: string; errorReasonText?: string; pctComplete?: string };
  playback?: { hls?: string; dash?: string };
  thumbnail?: string;
  duration?: number;
  size?: number;
  input?: { width?: number; height?: number };
  meta?: Record<string, unknown>;
}

/** TUS Upload-Metadata: comma-separated `key base64(value)` pairs. */
export function tusMetadata(pairs: Record<string, string>): string {
  return Object.entries(pairs)
    .map(([k, v]) => `${k} ${Buffer.from(v, 'utf8').toString('base64')}`)
    .join(',');
}

/**
 * Cloudflare Stream: one-time TUS upload URLs for phones (direct creator upload: `POST
 * …/stream?direct_user=true` with `Tus-Resumable: 1.0.0`, `Upload-Length`, `Upload-Metadata`;
 * the URL is the `Location` header and the video id the `stream-media-id` header), copies of
 * originals already in storage (`POST …/stream/copy` from a presigned GET), video status, and the
 * webhook signature check.
 */
@Injectable()
export class CloudflareStream {
  constructor(
    private readonly cf: CloudflareClient,
    private readonly env: EnvironmentVariables,
  ) {}

  get enabled(): boolean {
    return this.cf.enabled.stream;
  }

  async createDirectUpload(opts: {
    size: number;
    name: string;
    mediaId?: number;
    expiresAt: Date;
  }): Promise<{ uid: string; uploadUrl: string }> {
    const metadata = tusMetadata({
      name: opts.name,
      maxDurationSeconds: String(this.env.CLOUDFLARE_STREAM_MAX_DURATION_SECONDS),
      expiry: opts.expiresAt.toISOString(),
    });
    const res = await this.cf.request('stream', {
      method: 'POST',
      path: 'stream',
      query: { direct_user: 'true' },
      headers: { 'Tus-Resumable': '1.0.0', 'Upload-Length': String(opts.size), 'Upload-Metadata': metadata },
    });
    const uid = res.headers.get('stream-media-id');
    const uploadUrl = res.headers.get('location');
    if (!uid || !uploadUrl)
      throw new CloudflareRequestError(res.status, 'Stream answered the direct upload without Location or stream-media-id', null);
    return { uid, uploadUrl };
  }

  async copyFromUrl(url: string, meta: { name: string; mediaId: number }): Promise<StreamVideo> {
    const { result } = await this.cf.request<StreamVideo>('stream', { method: 'POST', path: 'stream/copy', json: { url, meta } });
    if (!result?.uid) throw new CloudflareRequestError(200, 'Stream answered the copy without a video uid', result);
    return result;
  }

  /** The video, or null when Stream does not know it. */
  async video(uid: string): Promise<StreamVideo | null> {
    const res = await this.cf.request<StreamVideo>('stream', { method: 'GET', path: `stream/${encodeURIComponent(uid)}`, accept: [404] });
    return res.status === 404 ? null : res.result;
  }
}

export type WebhookVerdict = { ok: true; time: number; signature: string } | { ok: false; reason: string };

/**
 * Stream's `Webhook-Signature: time=<unix seconds>,sig1=<hex>`: sig1 is HMAC-SHA256 with the
 * webhook secret over `<time>.<raw body>`, compared in constant time; a time further than
 * `toleranceSeconds` from now is refused (a replay).
 */
export function verifyStreamWebhook(
  header: string | undefined,
  rawBody: Buffer,
  secret: string,
  toleranceSeconds: number,
  nowMs = Date.now(),
): WebhookVerdict {
  if (!header) return { ok: false, reason: 'Webhook-Signature is missing' };
  const parts = new Map(
    header.split(',').map((p) => {
      const i = p.indexOf('=');
      return [p.slice(0, i).trim(), p.slice(i + 1).trim()] as [string, string];
    }),
  );
  const time = parts.get('time') ?? '';
  const sig = parts.get('sig1') ?? '';
  if (!/^\d{1,12}$/.test(time) || !/^[0-9a-f]{64}$/i.test(sig))
    return { ok: false, reason: 'Webhook-Signature must be time=<unix seconds>,sig1=<hex>' };
  const want = createHmac('sha256', secret).update(`${time}.`).update(rawBody).digest();
  const given = Buffer.from(sig, 'hex');
  if (given.length !== want.length || !timingSafeEqual(given, want)) return { ok: false, reason: 'Webhook-Signature does not match' };
  if (Math.abs(nowMs / 1000 - Number(time)) > toleranceSeconds)
    return { ok: false, reason: `Webhook-Signature time is more than ${toleranceSeconds} s away from now` };
  return { ok: true, time: Number(time), signature: sig.toLowerCase() };
}
