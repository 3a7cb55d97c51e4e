import { createHash, randomBytes } from 'node:crypto';

/** Session and API tokens are random; only their SHA-256 is stored. */
export const newToken = (prefix: string) => `${prefix}_${randomBytes(32).toString('base64url')}`;
export const tokenHash = (token: string) => createHash('sha256').update(token).digest('hex');
