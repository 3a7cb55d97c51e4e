import { open } from 'node:fs/promises';
import path from 'node:path';
import { fileTypeFromBuffer } from 'file-type';
import { DOWNLOAD_TYPE, INLINE_FILE_TYPES } from '../../schema-engine/index.js';

/** How much of a file its type is decided from: every signature we show inline sits in its first bytes. */
export const HEAD_BYTES = 64 * 1024;

/** Names shown as plain text when their bytes are UTF-8 text (an .html or .svg file downloads instead). */
const TEXT_EXTENSIONS = new Set(['.txt', '.text', '.log', '.md', '.markdown']);

/** file-type's names for what we serve under one of ours. */
const ALIASES: Record<string, string> = { 'audio/ogg; codecs=opus': 'audio/ogg', 'audio/x-wav': 'audio/wav', 'audio/vnd.wave': 'audio/wav' };

/** Control characters that never occur in text (tab, line feed, vertical tab, form feed, carriage return and escape do). */
const BINARY_CONTROL = /[\u0000-\u0008\u000e-\u001a\u001c-\u001f\u007f]/;

function isUtf8Text(head: Uint8Array, complete: boolean): boolean {
  try {
    // `stream` leaves a character cut at the end of an incomplete head to a next call that never comes.
    const text = new TextDecoder('utf-8', { fatal: true }).decode(head, { stream: !complete });
    return !BINARY_CONTROL.test(text);
  } catch {
    return false;
  }
}

/**
 * The type a file is served with, decided from its first bytes (`head`; `complete` when that is the whole file) and
 * its name, against the inline allow-list. What the uploading client claimed plays no part.
 */
export async function decideFileType(head: Uint8Array, name: string, complete: boolean): Promise<string> {
  const detected = await fileTypeFromBuffer(head).catch(() => undefined);
  const mime = detected ? (ALIASES[detected.mime] ?? detected.mime) : undefined;
  // A binary signature decides; text formats file-type recognizes (XML, vCard, calendars) are judged as text below.
  if (mime && !mime.startsWith('text/') && mime !== 'application/xml') return INLINE_FILE_TYPES.has(mime) ? mime : DOWNLOAD_TYPE;
  if (TEXT_EXTENSIONS.has(path.extname(name).toLowerCase()) && isUtf8Text(head, complete)) return 'text/plain';
  return DOWNLOAD_TYPE;
}

/** Reads a stored file's head and decides its type (files stored before this check carry their client's type). */
export async function decideStoredFileType(filePath: string, name: string): Promise<string> {
  const handle = await open(filePath, 'r');
  try {
    const buffer = new Uint8Array(HEAD_BYTES);
    const { bytesRead } = await handle.read(buffer, 0, HEAD_BYTES, 0);
    const complete = bytesRead < HEAD_BYTES || (await handle.stat()).size === bytesRead;
    return await decideFileType(buffer.subarray(0, bytesRead), name, complete);
  } finally {
    await handle.close();
  }
}

/** The Content-Type header of a decided type: text is always read as UTF-8. */
export const contentTypeHeader = (type: string): string => (type === 'text/plain' ? 'text/plain; charset=utf-8' : type);
