import { StringDecoder } from 'node:string_decoder';
import { promisify } from 'node:util';
import yauzl from 'yauzl';

/** A zip file read by its central directory (yauzl): any entry, in any order, streamed and decoded as UTF-8. */
export interface Zip {
  has(name: string): boolean;
  /** Every entry's name as written (directories included). */
  names(): string[];
  /** An entry's bytes, chunk by chunk as they are inflated. */
  bytes(name: string): AsyncGenerator<Buffer>;
  /** A small entry whole (a workbook, its styles). */
  text(name: string): Promise<string>;
  /** An entry's text, chunk by chunk as it is inflated. */
  chunks(name: string): AsyncGenerator<string>;
  stream(name: string, onChunk: (text: string) => void): Promise<void>;
  close(): void;
}

/** More than this, uncompressed, is a zip bomb rather than a workbook's shared strings or styles. */
const MAX_HELD_BYTES = 512 * 1024 * 1024;

const open = promisify(yauzl.open) as (path: string, options: yauzl.Options) => Promise<yauzl.ZipFile>;

export async function openZip(path: string): Promise<Zip> {
  const zip = await open(path, { lazyEntries: true, autoClose: false, validateEntrySizes: true, strictFileNames: false });
  // Names compared without case: some writers spell xl/SharedStrings.xml.
  const entries = new Map<string, yauzl.Entry>();
  const names: string[] = [];
  await new Promise<void>((resolve, reject) => {
    zip.on('entry', (entry: yauzl.Entry) => {
      entries.set(entry.fileName.toLowerCase(), entry);
      names.push(entry.fileName);
      zip.readEntry();
    });
    zip.once('end', resolve);
    zip.once('error', reject);
    zip.readEntry();
  });
  const entry = (name: string) => {
    const found = entries.get(name.toLowerCase());
    if (!found) throw new Error(`no entry ${name}`);
    return found;
  };
  const openStream = promisify(zip.openReadStream.bind(zip)) as (entry: yauzl.Entry) => Promise<NodeJS.ReadableStream>;
  async function* bytes(name: string): AsyncGenerator<Buffer> {
    for await (const chunk of await openStream(entry(name))) yield chunk as Buffer;
  }
  async function* chunks(name: string): AsyncGenerator<string> {
    const decoder = new StringDecoder('utf8');
    for await (const chunk of bytes(name)) yield decoder.write(chunk);
    const rest = decoder.end();
    if (rest) yield rest;
  }
  const held = (name: string) => {
    if (entry(name).uncompressedSize > MAX_HELD_BYTES) throw new Error(`${name} is larger than ${MAX_HELD_BYTES / 1024 / 1024} MB uncompressed`);
  };
  return {
    has: (name) => entries.has(name.toLowerCase()),
    names: () => [...names],
    bytes,
    async text(name) {
      held(name);
      let text = '';
      for await (const chunk of chunks(name)) text += chunk;
      return text;
    },
    chunks,
    async stream(name, onChunk) {
      held(name);
      for await (const chunk of chunks(name)) onChunk(chunk);
    },
    close: () => zip.close(),
  };
}
