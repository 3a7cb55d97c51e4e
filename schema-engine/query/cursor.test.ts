import { randomBytes } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { EngineError } from '../errors.js';
import { decodeCursor, encodeCursor } from './cursor.js';

const key = randomBytes(32);
const scope = 'shtA,-fldAmount:numeric,fldName:text';

function refused(cursor: string, options: { key?: Uint8Array; scope?: string; count?: number } = {}) {
  try {
    decodeCursor(options.key ?? key, options.scope ?? scope, options.count ?? 2, cursor);
  } catch (error) {
    expect(error).toBeInstanceOf(EngineError);
    expect((error as EngineError).status).toBe(400);
    expect((error as EngineError).details).toEqual({ fields: { cursor: 'is not valid' } });
    return;
  }
  expect.unreachable(`cursor ${cursor} was accepted`);
}

/** The cursor with its payload rewritten and the old signature kept, as an attacker could. */
function edited(cursor: string, change: (data: { s: string; k: (string | null)[]; id: string }) => unknown): string {
  const [payload, signature] = cursor.split('.');
  const data = JSON.parse(Buffer.from(payload!, 'base64url').toString('utf8'));
  return `${Buffer.from(JSON.stringify(change(data))).toString('base64url')}.${signature}`;
}

describe('signed cursors', () => {
  const cursor = encodeCursor(key, scope, ['120000', 'Acme'], '42');

  it('reads back what it wrote', () => {
    expect(decodeCursor(key, scope, 2, cursor)).toEqual({ s: scope, k: ['120000', 'Acme'], id: '42' });
    expect(decodeCursor(key, scope, 2, encodeCursor(key, scope, [null, 'x'], '1')).k).toEqual([null, 'x']);
  });

  it('refuses an edited value, id or scope, even with a signature of the same length', () => {
    refused(edited(cursor, (d) => ({ ...d, k: ["1'; DROP TABLE users; --", 'Acme'] })));
    refused(edited(cursor, (d) => ({ ...d, k: ['1e999999', 'Acme'] })));
    refused(edited(cursor, (d) => ({ ...d, id: '99999999999999999999' })));
    refused(edited(cursor, (d) => ({ ...d, s: 'other' })));
  });

  it('refuses a cursor of another listing, another key, or another shape', () => {
    refused(cursor, { scope: 'shtA,fldAmount:numeric,fldName:text' });
    refused(cursor, { scope: 'shtA,-fldAmount:text,fldName:text' });
    refused(cursor, { key: randomBytes(32) });
    refused(cursor, { count: 1 });
    refused(encodeCursor(key, scope, ['only one'], '1'));
    refused(encodeCursor(key, scope, ['a', 'b'], 'not a number'));
  });

  it('refuses garbage without throwing anything else', () => {
    for (const text of ['', '.', 'abc', 'abc.def', `${cursor}.x`, cursor.slice(0, -3), `x${cursor}`, '\u0000', '..', 'eyJ9.eyJ9', cursor.replace('.', '')]) {
      refused(text);
    }
  });
});
