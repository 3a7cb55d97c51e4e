import { newId } from '../../schema-engine/index.js';
import type { Client } from './server.js';

/** Uploads one file as multipart, as a browser would. */
export async function upload(c: Client, workspaceId: string, name: string, mimeType: string, content: string | Buffer, headers: Record<string, string> = {}) {
  const boundary = `----crm${newId('tok')}`;
  const body = Buffer.concat([
    Buffer.from(`--${boundary}\r\nContent-Disposition: form-data; name="file"; filename="${name}"\r\nContent-Type: ${mimeType}\r\n\r\n`),
    Buffer.from(content),
    Buffer.from(`\r\n--${boundary}--\r\n`),
  ]);
  return c.request('POST', `/api/w/${workspaceId}/attachments`, body, { ...headers, 'content-type': `multipart/form-data; boundary=${boundary}` });
}
