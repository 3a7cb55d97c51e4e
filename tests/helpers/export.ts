import type { TestServer } from './server.js';

/**
 * CSV text (RFC 4180: quoted fields may hold commas, quotes doubled, and line breaks) → rows of cells. Small on
 * purpose: the server writes with csv-stringify, so the test reads with code of its own.
 */
export function parseCsv(text: string): string[][] {
  const rows: string[][] = [];
  let row: string[] = [];
  let cell = '';
  let quoted = false;
  for (let i = 0; i < text.length; i++) {
    const c = text[i]!;
    if (quoted) {
      if (c === '"' && text[i + 1] === '"') (cell += '"'), i++;
      else if (c === '"') quoted = false;
      else cell += c;
    } else if (c === '"') quoted = true;
    else if (c === ',') row.push(cell), (cell = '');
    else if (c === '\r' && text[i + 1] === '\n') {
      rows.push([...row, cell]);
      (row = []), (cell = ''), i++;
    } else cell += c;
  }
  if (cell !== '' || row.length) rows.push([...row, cell]);
  return rows;
}

/** A raw download (bytes and headers) as the holder of an API token gets it. */
export async function download(app: TestServer['app'], bearer: string, url: string) {
  const res = await app.inject({ method: 'GET', url, headers: { authorization: `Bearer ${bearer}` } });
  return { status: res.statusCode, headers: res.headers, bytes: res.rawPayload, json: () => res.json() as { error: { message: string; details: { fields: Record<string, string> } } } };
}
