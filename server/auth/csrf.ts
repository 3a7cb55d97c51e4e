import type { FastifyInstance, FastifyRequest } from 'fastify';
import { HttpError } from '../errors.js';
import { bearerToken } from './authenticate.js';

/** Methods that only read; every other method may change something and is checked. */
const SAFE_METHODS = new Set(['GET', 'HEAD', 'OPTIONS']);

/** `Sec-Fetch-Site` values of a request our own pages sent, or one the user typed or bookmarked. */
const OWN_FETCH_SITES = new Set(['same-origin', 'none']);

/** `scheme://host:port` normalized (default ports dropped, host lowercased), or undefined when it is not an origin. */
function normalizedOrigin(value: string): string | undefined {
  try {
    const url = new URL(value);
    return url.origin === 'null' ? undefined : url.origin;
  } catch {
    return undefined;
  }
}

/**
 * Our own origin as this request reached us: its scheme and Host (behind TRUST_PROXY, the proxy's
 * X-Forwarded-Proto and X-Forwarded-Host, which Fastify reads only from a trusted proxy).
 */
export const ownOrigin = (request: FastifyRequest): string | undefined => (request.host ? normalizedOrigin(`${request.protocol}://${request.host}`) : undefined);

/** Why a state-changing request came from another site, or undefined when it came from ours (or no browser said). */
export function crossSiteReason(request: FastifyRequest): string | undefined {
  const fetchSite = request.headers['sec-fetch-site'];
  if (typeof fetchSite === 'string' && !OWN_FETCH_SITES.has(fetchSite.toLowerCase())) return `Sec-Fetch-Site is ${fetchSite}`;
  const origin = request.headers.origin;
  if (typeof origin === 'string') {
    const own = ownOrigin(request);
    if (!own || normalizedOrigin(origin) !== own) return `Origin ${origin} is not ${own ?? 'this server'}`;
  }
  return undefined;
}

/**
 * Cookie sessions against cross-site request forgery: a browser sends the session cookie (SameSite=Lax) with
 * requests from any page of the same site, another port of the same host included. Every request that may change
 * something must come from our own origin, as the browser tells with `Sec-Fetch-Site` and `Origin`, whether signed
 * in or not (a foreign page must not sign a victim into an attacker's account, nor submit forms in their name).
 * Requests with neither header (scripts, curl) pass, as do those with `Authorization: Bearer`: a cross-site page
 * cannot send that header without a CORS preflight this server never grants, and the cookie is then not read.
 */
export function registerCsrfProtection(app: FastifyInstance): void {
  app.addHook('onRequest', async (request) => {
    if (SAFE_METHODS.has(request.method) || bearerToken(request)) return;
    const reason = crossSiteReason(request);
    if (reason) {
      throw new HttpError(403, 'csrf', 'This request came from another site, so it was refused and nothing was changed; use the app itself, or an API token', {
        reason,
      });
    }
  });
}
