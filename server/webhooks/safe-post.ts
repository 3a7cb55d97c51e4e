import dns from 'node:dns';
import http from 'node:http';
import https from 'node:https';
import net, { BlockList, type LookupFunction } from 'node:net';

/** Webhooks may not reach the server's own network: loopback, private, link-local and other non-public ranges. */
const BLOCKED = new BlockList();
for (const [address, prefix] of [
  ['0.0.0.0', 8],
  ['10.0.0.0', 8],
  ['100.64.0.0', 10],
  ['127.0.0.0', 8],
  ['169.254.0.0', 16],
  ['172.16.0.0', 12],
  ['192.0.0.0', 24],
  ['192.168.0.0', 16],
  ['198.18.0.0', 15],
  ['224.0.0.0', 4],
  ['240.0.0.0', 4],
] as const) {
  BLOCKED.addSubnet(address, prefix, 'ipv4');
}
for (const [address, prefix] of [
  ['::', 128],
  ['::1', 128],
  ['fc00::', 7],
  ['fe80::', 10],
  ['ff00::', 8],
  ['64:ff9b::', 96],
] as const) {
  BLOCKED.addSubnet(address, prefix, 'ipv6');
}

export function isBlockedAddress(address: string): boolean {
  const family = net.isIP(address);
  if (family === 0) return true;
  // An IPv4-mapped IPv6 address (::ffff:127.0.0.1) is checked as the IPv4 address it is.
  const mapped = /^::ffff:(\d+\.\d+\.\d+\.\d+)$/i.exec(address)?.[1];
  if (mapped) return BLOCKED.check(mapped, 'ipv4');
  return BLOCKED.check(address, family === 4 ? 'ipv4' : 'ipv6');
}

/** Refused before any byte is sent: no retry can help, so the step fails at once. */
export class RefusedAddressError extends Error {}

/**
 * Resolves like the system does, then refuses a non-public address: checked on the addresses the connection will
 * use, after DNS, so a name that resolves to 127.0.0.1 (or changes its answer between a check and the connect) is
 * refused too. Allowed hosts skip the check.
 */
function guardedLookup(allowed: boolean): LookupFunction {
  return (hostname, options, callback) => {
    dns.lookup(hostname, { ...options, all: true }, (error, addresses) => {
      if (error) return callback(error, '', 0);
      const list = addresses as dns.LookupAddress[];
      const blocked = allowed ? undefined : list.find((a) => isBlockedAddress(a.address));
      if (blocked) return callback(new RefusedAddressError(`${hostname} resolves to ${blocked.address}, a loopback, private or link-local address: refused (list the host in WEBHOOK_ALLOW_HOSTS to allow it)`), '', 0);
      if ((options as { all?: boolean }).all) return (callback as unknown as (e: null, a: dns.LookupAddress[]) => void)(null, list);
      callback(null, list[0]!.address, list[0]!.family);
    });
  };
}

export interface PostRequest {
  url: string;
  body: string;
  headers: Record<string, string>;
  timeoutMs: number;
}

export interface PostResponse {
  status: number;
  body: string;
}

/** The hosts (lowercase) allowed to be loopback, private or link-local (WEBHOOK_ALLOW_HOSTS). */
export type AllowHosts = ReadonlySet<string>;

export function parseAllowHosts(value: string | undefined): AllowHosts {
  return new Set((value ?? '').split(',').map((h) => h.trim().toLowerCase()).filter(Boolean));
}

const MAX_RESPONSE = 64 * 1024;

/**
 * POSTs JSON to an outside URL: no redirect followed, at most `timeoutMs` for the whole exchange, the first 64 KB of
 * the answer kept. The address is checked at connect time (guardedLookup; an IP literal before connecting).
 */
export function safePost(request: PostRequest, allowHosts: AllowHosts): Promise<PostResponse> {
  const url = new URL(request.url);
  if (url.protocol !== 'http:' && url.protocol !== 'https:') return Promise.reject(new RefusedAddressError(`${url.protocol} URLs are not allowed: use http or https`));
  const host = url.hostname.replace(/^\[|\]$/g, '').toLowerCase();
  const allowed = allowHosts.has(host);
  if (!allowed && net.isIP(host) && isBlockedAddress(host)) {
    return Promise.reject(new RefusedAddressError(`${host} is a loopback, private or link-local address: refused (list it in WEBHOOK_ALLOW_HOSTS to allow it)`));
  }
  const client = url.protocol === 'https:' ? https : http;
  return new Promise((resolve, reject) => {
    const req = client.request(
      url,
      {
        method: 'POST',
        headers: { 'content-type': 'application/json', 'content-length': Buffer.byteLength(request.body), 'user-agent': 'crm-builder-webhook', ...request.headers },
        lookup: guardedLookup(allowed),
        signal: AbortSignal.timeout(request.timeoutMs),
        agent: false,
      },
      (res) => {
        let body = '';
        res.setEncoding('utf8');
        res.on('data', (chunk: string) => {
          if (body.length < MAX_RESPONSE) body += chunk;
        });
        res.on('end', () => resolve({ status: res.statusCode ?? 0, body: body.slice(0, MAX_RESPONSE) }));
        res.on('error', reject);
      },
    );
    req.on('error', (error) => reject(error.name === 'AbortError' || error.name === 'TimeoutError' ? new Error(`no answer within ${request.timeoutMs / 1000} s`) : error));
    req.end(request.body);
  });
}
