import { Injectable } from '@nestjs/common';
import { createHmac } from 'node:crypto';
import { EnvironmentVariables } from '../../../config/env';
import { RedisService } from '../../../infrastructure/redis/redis.service';
import { VARIANTS, VariantName } from '../processing/image-variants';
import { CloudflareClient, CloudflareRequestError } from './cloudflare-client';

/** Our variant names in Cloudflare Images (variant ids are letters and digits only). */
export const CF_VARIANT_IDS: Record<VariantName, string> = { thumbnail: 'connectothumb', preview: 'connectopreview', full: 'connectofull' };

/** The same variants as the local pipeline: thumbnail 150×150 cover, preview inside 800×800 (never enlarged), full; metadata stripped. */
function variantDefinition(name: VariantName) {
  const spec = VARIANTS[name];
  const options = spec
    ? { fit: spec.fit === 'cover' ? 'cover' : 'scale-down', width: spec.width, height: spec.height, metadata: 'none' }
    : { fit: 'scale-down', width: 12000, height: 12000, metadata: 'none' };
  return { id: CF_VARIANT_IDS[name], options, neverRequireSignedURLs: false };
}

interface ImageResult {
  id: string;
  filename?: string;
  variants: string[];
  requireSignedURLs?: boolean;
}

/**
 * Cloudflare Images: the variant definitions (created idempotently: list, create the missing ones,
 * a 409 from a racing node counts as created) and ingest of an original from a
 * short-lived presigned GET URL (`url` field), so the API never streams the bytes.
 */
@Injectable()
export class CloudflareImages {
  private variantsReady?: Promise<void>;

  constructor(
    private readonly cf: CloudflareClient,
    private readonly env: EnvironmentVariables,
    private readonly redis: RedisService,
  ) {}

  get enabled(): boolean {
    return this.cf.enabled.images;
  }

  ensureVariants(): Promise<void> {
    this.variantsReady ??= this.createVariants().catch((err: unknown) => {
      this.variantsReady = undefined;
      throw err;
    });
    return this.variantsReady;
  }

  /**
   * One list call, then a create for each missing definition. A flag in Redis (for a day) tells
   * the other nodes it is done, so a fleet does not spend its shared API budget on it at boot.
   */
  private async createVariants(): Promise<void> {
    const flag = `cloudflare:images:variants:${Object.values(CF_VARIANT_IDS).join(',')}`;
    if ((await this.redis.client.get(flag).catch(() => null)) === '1') return;
    const { result } = await this.cf.request<{ variants?: Record<string, unknown> }>('images', {
      method: 'GET',
      path: 'images/v1/variants',
    });
    const existing = new Set(Object.keys(result?.variants ?? {}));
    for (const name of Object.keys(VARIANTS) as VariantName[]) {
      const def = variantDefinition(name);
      if (existing.has(def.id)) continue;
      try {
        await this.cf.request('images', { method: 'POST', path: 'images/v1/variants', json: def });
      } catch (err) {
        if (!(err instanceof CloudflareRequestError && err.status === 409)) throw err;
      }
    }
    await this.redis.client.set(flag, '1', 'EX', 86400).catch(() => undefined);
  }

  /** Ingests the image at `sourceUrl`; answers the image id and a URL per variant name. */
  async ingest(sourceUrl: string, meta: { mediaId: number }): Promise<{ id: string; variants: Record<VariantName, string> }> {
    await this.ensureVariants();
    const form = new FormData();
    form.set('url', sourceUrl);
    form.set('metadata', JSON.stringify(meta));
    form.set('requireSignedURLs', this.env.CLOUDFLARE_IMAGES_SIGNING_KEY ? 'true' : 'false');
    const { result } = await this.cf.request<ImageResult>('images', { method: 'POST', path: 'images/v1', form });
    if (!result?.id || !Array.isArray(result.variants))
      throw new CloudflareRequestError(200, 'Cloudflare Images answered without an image id or variants', result);
    const byId = new Map(result.variants.map((u) => [u.split('?')[0].split('/').pop() ?? '', u]));
    const variants = {} as Record<VariantName, string>;
    for (const name of Object.keys(CF_VARIANT_IDS) as VariantName[]) {
      const url = byId.get(CF_VARIANT_IDS[name]);
      if (!url) throw new CloudflareRequestError(200, `Cloudflare Images did not list the ${CF_VARIANT_IDS[name]} variant`, result);
      variants[name] = url;
    }
    return { id: result.id, variants };
  }

  async delete(id: string): Promise<void> {
    await this.cf.request('images', { method: 'DELETE', path: `images/v1/${encodeURIComponent(id)}`, accept: [404] });
  }
}

/**
 * A delivery URL as handed to clients: with CLOUDFLARE_IMAGES_SIGNING_KEY, signed as Images'
 * private images are (`exp` then `sig` = hex HMAC-SHA256 of `<path>?exp=<exp>` with the key),
 * valid `ttlSeconds`; without a key, the public URL.
 */
export function deliveryUrl(url: string, signingKey: string | undefined, ttlSeconds: number): string {
  if (!signingKey) return url;
  const u = new URL(url);
  u.searchParams.delete('sig');
  u.searchParams.set('exp', String(Math.floor(Date.now() / 1000) + ttlSeconds));
  const sig = createHmac('sha256', signingKey).update(`${u.pathname}?${u.searchParams.toString()}`).digest('hex');
  u.searchParams.set('sig', sig);
  return u.toString();
}
