import { INestApplication } from '@nestjs/common';

/** Routes that are public on purpose (no token); every other route must answer 401 without one. */
/**
 * Public on purpose. The local storage driver's URLs carry their own HMAC signature (test/e2e/media.e2e.spec.ts checks they refuse unsigned requests);
 * Cloudflare's webhooks are signed (Webhook-Signature; test/e2e/media-cloudflare.e2e.spec.ts checks forged, old and replayed ones are refused).
 */
export const PUBLIC_ROUTES = [
  /^\/api\/v1\/auth\//,
  /^\/health(\/|$)/,
  /^\/docs(\/|$|-json|-yaml)/,
  /^\/api\/v1\/storage\//,
  /^\/api\/v1\/media\/webhooks\//,
];

export const isPublicRoute = (path: string): boolean => PUBLIC_ROUTES.some((re) => re.test(path));

export interface RegisteredRoute {
  method: string;
  path: string;
}

interface Layer {
  route?: { path: string | string[]; methods: Record<string, boolean> };
}

/** Every route the running app registered on its Express router. */
export function registeredRoutes(app: INestApplication): RegisteredRoute[] {
  const instance = app.getHttpAdapter().getInstance() as { router?: { stack: Layer[] }; _router?: { stack: Layer[] } };
  const stack = (instance.router ?? instance._router)?.stack ?? [];
  const out: RegisteredRoute[] = [];
  for (const layer of stack) {
    if (!layer.route) continue;
    const paths = Array.isArray(layer.route.path) ? layer.route.path : [layer.route.path];
    for (const path of paths) {
      for (const [method, on] of Object.entries(layer.route.methods)) {
        if (on && method !== '_all') out.push({ method: method.toUpperCase(), path });
      }
    }
  }
  return out;
}
