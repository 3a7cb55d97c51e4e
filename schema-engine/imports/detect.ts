import { isUtf8 } from 'node:buffer';
import { createReadStream } from 'node:fs';
import iconv from 'iconv-lite';
import { badRequest } from '../errors.js';

/** Text encodings a CSV or TSV may be read in: what spreadsheets write, and an override for anything detected wrong. */
export const ENCODINGS = ['utf-8', 'utf-16le', 'utf-16be', 'big5', 'gb18030', 'shift_jis', 'euc-kr', 'windows-1252'] as const;
export type Encoding = (typeof ENCODINGS)[number];

/** iconv-lite's names; Big5 is read as Microsoft's CP950, what Excel in Taiwan writes. */
export const ICONV_NAMES: Record<Encoding, string> = {
  'utf-8': 'utf8',
  'utf-16le': 'utf16le',
  'utf-16be': 'utf16be',
  big5: 'cp950',
  gb18030: 'gb18030',
  shift_jis: 'shiftjis',
  'euc-kr': 'euckr',
  'windows-1252': 'windows1252',
};

export type FileFormat = 'csv' | 'tsv' | 'xlsx';

export interface Detected {
  format: FileFormat;
  /** For CSV and TSV. */
  encoding?: Encoding;
}

const fileProblem = (message: string) => badRequest(message, { fields: { file: message } });

/** How much of a file decides between the legacy encodings (UTF-8 validity is checked over all of it). */
const SAMPLE_BYTES = 1024 * 1024;

/**
 * What a file is, from its bytes: an XLSX workbook (a zip), or text, and then in which encoding.
 *
 * Statistical detectors (chardet and the like) guess poorly on the short files people import (a 40-row customer list
 * in Big5 is often taken for GB18030 or EUC-KR), so the order is: a byte order mark; UTF-16 without one (every other
 * byte zero in Latin text); the whole file valid UTF-8 (Big5 text is practically never valid UTF-8); else Big5 when
 * every byte above 0x7F forms a character CP950 knows (what Excel in Taiwan writes as "CSV"), else Windows-1252
 * (Excel's "CSV" elsewhere). The import takes an `encoding` to override the guess.
 */
export async function detectFile(path: string, fileName: string): Promise<Detected> {
  let head: Buffer | undefined;
  const sample: Buffer[] = [];
  let sampled = 0;
  let utf8 = true;
  let carry = Buffer.alloc(0);
  for await (const chunk of createReadStream(path) as AsyncIterable<Buffer>) {
    if (!head) {
      head = chunk.subarray(0, 64 * 1024);
      const format = binaryFormat(head);
      if (format) return { format };
      const bom = bomEncoding(head) ?? utf16Without(head);
      if (bom) return { format: textFormat(fileName), encoding: bom };
    }
    if (sampled < SAMPLE_BYTES) {
      sample.push(chunk);
      sampled += chunk.length;
    }
    if (utf8) {
      const bytes = carry.length ? Buffer.concat([carry, chunk]) : chunk;
      const cut = incompleteTail(bytes);
      utf8 = isUtf8(bytes.subarray(0, bytes.length - cut));
      carry = Buffer.from(bytes.subarray(bytes.length - cut));
    }
  }
  if (!head?.length) throw fileProblem('The file is empty');
  if (utf8 && !carry.length) return { format: textFormat(fileName), encoding: 'utf-8' };
  return { format: textFormat(fileName), encoding: readsAsBig5(Buffer.concat(sample)) ? 'big5' : 'windows-1252' };
}

/** Zip (XLSX) or another binary format, by signature; undefined for what may be text. */
function binaryFormat(head: Buffer): FileFormat | undefined {
  if (head.subarray(0, 4).equals(Buffer.from([0x50, 0x4b, 0x03, 0x04]))) return 'xlsx';
  if (head.subarray(0, 8).equals(Buffer.from([0xd0, 0xcf, 0x11, 0xe0, 0xa1, 0xb1, 0x1a, 0xe1]))) {
    throw fileProblem('This is an Excel 97-2003 workbook (.xls): save it as .xlsx or CSV and upload that');
  }
  if (bomEncoding(head) || utf16Without(head)) return undefined;
  // Text has no NUL bytes; images, PDFs and archives do.
  if (head.includes(0)) throw fileProblem('The file is not a CSV, TSV or XLSX file (it holds binary data)');
  return undefined;
}

function bomEncoding(head: Buffer): Encoding | undefined {
  if (head[0] === 0xef && head[1] === 0xbb && head[2] === 0xbf) return 'utf-8';
  if (head[0] === 0xff && head[1] === 0xfe) return 'utf-16le';
  if (head[0] === 0xfe && head[1] === 0xff) return 'utf-16be';
  return undefined;
}

/** UTF-16 without a byte order mark: Latin text has a zero byte at every odd (LE) or even (BE) position. */
function utf16Without(head: Buffer): Encoding | undefined {
  const pairs = Math.floor(Math.min(head.length, 4096) / 2);
  if (pairs < 4) return undefined;
  let evenZero = 0;
  let oddZero = 0;
  for (let i = 0; i < pairs; i++) {
    if (head[2 * i] === 0) evenZero++;
    if (head[2 * i + 1] === 0) oddZero++;
  }
  if (oddZero > pairs * 0.4 && evenZero < pairs * 0.05) return 'utf-16le';
  if (evenZero > pairs * 0.4 && oddZero < pairs * 0.05) return 'utf-16be';
  return undefined;
}

/** Bytes at the end that may start a UTF-8 character continued in the next chunk. */
function incompleteTail(bytes: Buffer): number {
  for (let back = 1; back <= Math.min(3, bytes.length); back++) {
    const byte = bytes[bytes.length - back]!;
    if ((byte & 0xc0) === 0x80) continue;
    const length = byte >= 0xf0 ? 4 : byte >= 0xe0 ? 3 : byte >= 0xc0 ? 2 : 1;
    return length > back ? back : 0;
  }
  return 0;
}

/** Every non-ASCII byte is part of a character CP950 maps to something other than a private-use code point. */
function readsAsBig5(sample: Buffer): boolean {
  // A sample cut after the first byte of a character ends in one replacement character: not the file's fault.
  const text = iconv.decode(sample, 'cp950').replace(/\ufffd$/, '');
  return !/[\ufffd\ue000-\uf8ff]/.test(text) && /[\u3000-\u9fff\uff00-\uffef]/.test(text);
}

function textFormat(fileName: string): FileFormat {
  return /\.(tsv|tab)$/i.test(fileName) ? 'tsv' : 'csv';
}
