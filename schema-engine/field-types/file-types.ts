/**
 * The only content types a stored file is ever served or reported with. The server decides a file's type from its
 * bytes and name (never from what the uploading client claimed); these are inert in a browser, so they are shown
 * inline: raster images (no SVG, which runs script), PDF, plain UTF-8 text, audio and video. Everything else is
 * `DOWNLOAD_TYPE`, served as an attachment.
 */
export const INLINE_FILE_TYPES: ReadonlySet<string> = new Set([
  'image/png',
  'image/apng',
  'image/jpeg',
  'image/gif',
  'image/webp',
  'image/avif',
  'image/bmp',
  'image/x-icon',
  'application/pdf',
  'text/plain',
  'audio/mpeg',
  'audio/ogg',
  'audio/wav',
  'audio/flac',
  'audio/aac',
  'audio/mp4',
  'audio/x-m4a',
  'video/mp4',
  'video/webm',
  'video/ogg',
  'video/quicktime',
  'video/x-m4v',
  'video/3gpp',
]);

export const DOWNLOAD_TYPE = 'application/octet-stream';

/**
 * The type an API answer may show for a stored file: files uploaded before the server decided types kept the type
 * their client sent (`text/plain, text/html`), which must never reach an answer.
 */
export const reportedFileType = (stored: unknown): string => (typeof stored === 'string' && INLINE_FILE_TYPES.has(stored) ? stored : DOWNLOAD_TYPE);
