import { newId } from '../../schema-engine/index.js';
import type { Client } from './server.js';

/** Uploads one file as multipart, as a browser would. */
export async function upload(c: Client, workspaceId: string, name: string, mimeType: string, content: string | Buffer, headers: Record<string, string> = {}) {
  return uploadTo(c, `/api/w/${workspaceId}/attachments`, name, mimeType, content, {}, headers);
}

/** Posts one file as multipart to any upload route, with text parts before it (an import's `encoding`…). */
export async function uploadTo(c: Client, url: string, name: string, mimeType: string, content: string | Buffer, fields: Record<string, string> = {}, headers: Record<string, string> = {}) {
  const boundary = `----crm${newId('tok')}`;
  const body = Buffer.concat([
    ...Object.entries(fields).map(([field, value]) => Buffer.from(`--${boundary}\r\nContent-Disposition: form-data; name="${field}"\r\n\r\n${value}\r\n`)),
    Buffer.from(`--${boundary}\r\nContent-Disposition: form-data; name="file"; filename="${name}"\r\nContent-Type: ${mimeType}\r\n\r\n`),
    Buffer.from(content),
    Buffer.from(`\r\n--${boundary}--\r\n`),
  ]);
  return c.request('POST', url, body, { ...headers, 'content-type': `multipart/form-data; boundary=${boundary}` });
}
