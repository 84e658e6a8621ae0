import { createHash, createHmac, timingSafeEqual } from 'node:crypto';

/** The session cookie of the dashboard's sign-in form (HttpOnly, SameSite=Strict, Path=/admin). */
export const ADMIN_COOKIE = 'connecto_admin';

const digest = (s: string) => createHash('sha256').update(s).digest();
const same = (a: Buffer, b: Buffer) => a.length === b.length && timingSafeEqual(a, b);

/**
 * The one rule of /admin: `Authorization: Bearer <ADMIN_TOKEN>` (scripts, curl), or the cookie the
 * sign-in form sets (a browser). The cookie holds an HMAC of the token, never the token: changing
 * ADMIN_TOKEN signs every browser out. While ADMIN_TOKEN is unset nothing is accepted.
 */
export class AdminAuth {
  private readonly token?: Buffer;
  private readonly session?: string;

  constructor(adminToken: string) {
    if (adminToken) {
      this.token = digest(adminToken);
      this.session = createHmac('sha256', adminToken).update('connecto admin session v1').digest('hex');
    }
  }

  get configured(): boolean {
    return this.token !== undefined;
  }

  /** True for the right token (as typed in the sign-in form or sent as a bearer token). */
  acceptsToken(token: string | undefined): boolean {
    return this.token !== undefined && typeof token === 'string' && token !== '' && same(digest(token), this.token);
  }

  accepts(headers: { authorization?: string; cookie?: string }): boolean {
    const bearer = /^Bearer (.+)$/.exec(headers.authorization ?? '')?.[1];
    if (bearer !== undefined) return this.acceptsToken(bearer);
    const cookie = cookieOf(headers.cookie, ADMIN_COOKIE);
    return this.session !== undefined && cookie !== undefined && same(Buffer.from(cookie), Buffer.from(this.session));
  }

  /** The Set-Cookie value after a successful sign-in (`secure` behind HTTPS). */
  sessionCookie(secure: boolean): string {
    return `${ADMIN_COOKIE}=${this.session}; Path=/admin; HttpOnly; SameSite=Strict; Max-Age=43200${secure ? '; Secure' : ''}`;
  }
}

export const clearedCookie = `${ADMIN_COOKIE}=; Path=/admin; HttpOnly; SameSite=Strict; Max-Age=0`;

function cookieOf(header: string | undefined, name: string): string | undefined {
  for (const part of (header ?? '').split(';')) {
    const eq = part.indexOf('=');
    if (eq > 0 && part.slice(0, eq).trim() === name) return part.slice(eq + 1).trim();
  }
  return undefined;
}
