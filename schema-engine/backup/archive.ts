import { createHash } from 'node:crypto';
import { StringDecoder } from 'node:string_decoder';
import { badRequest } from '../errors.js';
import { openZip, type Zip } from '../imports/zip.js';
import { BACKUP_FORMAT, BACKUP_VERSION, MANIFEST_ENTRY, manifestSchema, type BackupManifest } from './format.js';

/** Every refusal of a backup file names the file part and the problem: 400, nothing created. */
export const badBackup = (problem: string) => badRequest(`The backup file cannot be restored: ${problem}`, { fields: { file: problem } });

/**
 * A backup file being restored: its manifest checked first (format, version, the list of entries), then each entry
 * read as a stream and checked against the manifest's SHA-256 when it ends, so a changed or damaged entry stops the
 * restore (whose transaction then leaves nothing behind).
 */
export class BackupArchive {
  private constructor(
    private readonly zip: Zip,
    readonly manifest: BackupManifest,
  ) {}

  static async open(path: string): Promise<BackupArchive> {
    const zip = await openZip(path).catch((error: Error) => {
      throw badBackup(`it is not a complete zip archive (${error.message}); was it cut short?`);
    });
    try {
      if (!zip.has(MANIFEST_ENTRY)) throw badBackup(`it has no ${MANIFEST_ENTRY}, so it is not a workspace backup`);
      let json: unknown;
      try {
        json = JSON.parse(await zip.text(MANIFEST_ENTRY));
      } catch (error) {
        throw badBackup(`${MANIFEST_ENTRY} is not JSON (${(error as Error).message})`);
      }
      const format = (json as { format?: unknown } | null)?.format;
      if (format !== BACKUP_FORMAT) throw badBackup(`${MANIFEST_ENTRY} says format ${JSON.stringify(format)}, not "${BACKUP_FORMAT}": it is not a workspace backup of this application`);
      const parsed = manifestSchema.safeParse(json);
      if (!parsed.success) throw badBackup(`${MANIFEST_ENTRY}.${parsed.error.issues[0]!.path.join('.')}: ${parsed.error.issues[0]!.message}`);
      const { version, checksums } = parsed.data;
      if (version > BACKUP_VERSION) throw badBackup(`it was made by a newer version of the application (backup format ${version}; this server reads up to ${BACKUP_VERSION})`);
      if (version < 1) throw badBackup(`backup format ${version} does not exist`);
      const names = zip.names().filter((n) => !n.endsWith('/') && n !== MANIFEST_ENTRY);
      const unknown = names.find((n) => !(n in checksums));
      if (unknown) throw badBackup(`the entry ${unknown} is not listed in ${MANIFEST_ENTRY} (was the file changed?)`);
      const missing = Object.keys(checksums).find((n) => !zip.has(n));
      if (missing) throw badBackup(`the entry ${missing} is missing`);
      return new BackupArchive(zip, parsed.data);
    } catch (error) {
      zip.close();
      throw error;
    }
  }

  /** An entry's bytes; the last chunk is given only once the whole entry matched its checksum. */
  async *bytes(name: string): AsyncGenerator<Buffer> {
    const expected = this.manifest.checksums[name];
    if (!expected) throw badBackup(`the entry ${name} is missing`);
    const hash = createHash('sha256');
    let held: Buffer | undefined;
    try {
      for await (const chunk of this.zip.bytes(name)) {
        hash.update(chunk);
        if (held) yield held;
        held = chunk;
      }
    } catch (error) {
      throw badBackup(`the entry ${name} cannot be read (${(error as Error).message})`);
    }
    if (hash.digest('hex') !== expected) throw badBackup(`the entry ${name} does not match its checksum (the file was changed or damaged)`);
    if (held) yield held;
  }

  /** An entry's lines (UTF-8), with their numbers, for NDJSON. */
  async *lines(name: string): AsyncGenerator<{ line: string; number: number }> {
    const decoder = new StringDecoder('utf8');
    let rest = '';
    let number = 0;
    for await (const chunk of this.bytes(name)) {
      const text = rest + decoder.write(chunk);
      const parts = text.split('\n');
      rest = parts.pop()!;
      for (const line of parts) {
        number++;
        if (line) yield { line, number };
      }
    }
    rest += decoder.end();
    if (rest) yield { line: rest, number: number + 1 };
  }

  /** A small entry, whole and parsed as JSON. */
  async json(name: string): Promise<unknown> {
    let text = '';
    for await (const { line } of this.lines(name)) text += `${line}\n`;
    try {
      return JSON.parse(text);
    } catch (error) {
      throw badBackup(`${name} is not JSON (${(error as Error).message})`);
    }
  }

  has(name: string): boolean {
    return name in this.manifest.checksums;
  }

  close(): void {
    this.zip.close();
  }
}

/** Parses one NDJSON line with a zod schema, naming the entry and line when it does not fit. */
export function parseLine<T>(name: string, number: number, line: string, schema: { safeParse(v: unknown): { success: true; data: T } | { success: false; error: { issues: { path: PropertyKey[]; message: string }[] } } }): T {
  let value: unknown;
  try {
    value = JSON.parse(line);
  } catch (error) {
    throw badBackup(`${name} line ${number} is not JSON (${(error as Error).message})`);
  }
  const parsed = schema.safeParse(value);
  if (!parsed.success) throw badBackup(`${name} line ${number}: ${parsed.error.issues[0]!.path.join('.')} ${parsed.error.issues[0]!.message}`);
  return parsed.data;
}
