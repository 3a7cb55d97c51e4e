import { expect } from 'vitest';
import { uploadTo } from './files.js';
import type { Client } from './server.js';
import { until } from './until.js';

const MIME: Record<string, string> = { csv: 'text/csv', tsv: 'text/tab-separated-values', xlsx: 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet' };

/** Uploads a file for import and answers the previewed Import (201 expected). */
export async function uploadImport(c: Client, ws: string, name: string, content: string | Buffer, fields: Record<string, string> = {}, headers: Record<string, string> = {}) {
  const res = await uploadTo(c, `/api/w/${ws}/imports`, name, MIME[name.split('.').pop()!] ?? 'application/octet-stream', content, fields, headers);
  expect(res.status, JSON.stringify(res.body).slice(0, 500)).toBe(201);
  expect(res.body.status).toBe('previewed');
  return res.body;
}

/** Starts an import (202 expected) and waits for it to end; answers the Import as it ended. */
export async function runImport(c: Client, ws: string, id: string, body: Record<string, unknown>, headers: Record<string, string> = {}) {
  const started = await c.request('POST', `/api/w/${ws}/imports/${id}/start`, body, headers);
  expect(started.status, JSON.stringify(started.body).slice(0, 500)).toBe(202);
  expect(started.body.status).toBe('running');
  return waitForImport(c, ws, id);
}

export async function waitForImport(c: Client, ws: string, id: string) {
  return until(
    `import ${id} to end`,
    async () => {
      const res = await c.get(`/api/w/${ws}/imports/${id}`);
      expect(res.status).toBe(200);
      return res.body.status === 'running' ? undefined : res.body;
    },
    120_000,
  );
}

/** Every record of a sheet (pages of 1000). */
export async function allRecords(c: Client, ws: string, sheet: string): Promise<{ id: string; fields: Record<string, any> }[]> {
  const records: { id: string; fields: Record<string, any> }[] = [];
  let cursor: string | null = null;
  do {
    const res: { status: number; body: any } = await c.get(`/api/w/${ws}/sheets/${encodeURIComponent(sheet)}/records?limit=1000${cursor ? `&cursor=${encodeURIComponent(cursor)}` : ''}`);
    expect(res.status).toBe(200);
    records.push(...res.body.records);
    cursor = res.body.nextCursor;
  } while (cursor);
  return records;
}

/** A CSV file's rows as objects by header (the test reads the dataset itself, with no CSV library of the server's). */
export function csvObjects(text: string): Record<string, string>[] {
  const [header, ...lines] = text.replace(/\r/g, '').split('\n').filter(Boolean);
  const names = header!.split(',');
  return lines.map((line) => Object.fromEntries(line.split(',').map((v, i) => [names[i]!, v])));
}
