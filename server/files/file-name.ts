import { create as contentDisposition } from 'content-disposition';

/** Control characters, and the bidirectional overrides that make `exe.txt` read as `txt.exe`. */
const UNSAFE = /[\p{Cc}\u202a-\u202e\u2066-\u2069\u200e\u200f\u061c]/gu;

/**
 * A file name as it may be stored and offered to a browser: no path (the part after the last slash or backslash),
 * no control or direction-changing characters, no leading dots (hidden files), at most 255 characters.
 */
export function safeFileName(raw: string | undefined): string {
  const base = (raw ?? '').normalize('NFC').split(/[/\\]/).pop() ?? '';
  const cleaned = base.replace(UNSAFE, '').trim().replace(/^\.+/, '').slice(0, 255).trim();
  return cleaned || 'file';
}

/**
 * The Content-Disposition header of a stored file (via the `content-disposition` library, RFC 6266 with the UTF-8
 * `filename*`): the ASCII `filename` replaces anything else and quotes with `_`.
 */
export function dispositionHeader(name: string, inline: boolean): string {
  const safe = safeFileName(name);
  const fallback = safe.replace(/[^\x20-\x7e]|["\\%]/g, '_');
  return contentDisposition(safe, { type: inline ? 'inline' : 'attachment', fallback });
}
