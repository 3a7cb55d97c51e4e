import { createHash } from 'node:crypto';
import { StringDecoder } from 'node:string_decoder';
import { openZip, type Zip } from '../imports/zip.js';
import { BACKUP_FORMAT, BACKUP_VERSION, MANIFEST_ENTRY, manifestSchema, type BackupManifest } from './format.js';
import { badBackup, type BackupLanguage, type BackupProblem } from './messages.js';

type Schema<T> = { safeParse(v: unknown): { success: true; data: T } | { success: false; error: { issues: { path: PropertyKey[]; message: string }[] } } };

/**
 * A backup file being restored: its manifest checked first (format, version, the list of entries), then each entry
 * read as a stream and checked against the manifest's SHA-256 when it ends, so a changed or damaged entry stops the
 * restore (whose transaction then leaves nothing behind).
 */
export class BackupArchive {
  private constructor(
    private readonly zip: Zip,
    readonly manifest: BackupManifest,
    /** The language refusals are written in (the restoring user's). */
    readonly language: BackupLanguage,
  ) {}

  static async open(path: string, language: BackupLanguage): Promise<BackupArchive> {
    const zip = await openZip(path).catch((error: Error) => {
      throw badBackup(language, 'not_zip', { reason: error.message });
    });
    try {
      if (!zip.has(MANIFEST_ENTRY)) throw badBackup(language, 'no_manifest', { entry: MANIFEST_ENTRY });
      let json: unknown;
      try {
        json = JSON.parse(await zip.text(MANIFEST_ENTRY));
      } catch (error) {
        throw badBackup(language, 'not_json', { entry: MANIFEST_ENTRY, reason: (error as Error).message });
      }
      const format = (json as { format?: unknown } | null)?.format;
      if (format !== BACKUP_FORMAT) throw badBackup(language, 'foreign', { entry: MANIFEST_ENTRY, format: JSON.stringify(format) ?? 'none', expected: BACKUP_FORMAT });
      const parsed = manifestSchema.safeParse(json);
      if (!parsed.success) throw badBackup(language, 'invalid', { entry: MANIFEST_ENTRY, where: parsed.error.issues[0]!.path.join('.'), problem: parsed.error.issues[0]!.message });
      const { version, checksums } = parsed.data;
      if (version > BACKUP_VERSION) throw badBackup(language, 'newer', { version, max: BACKUP_VERSION });
      if (version < 1) throw badBackup(language, 'no_version', { version });
      const names = zip.names().filter((n) => !n.endsWith('/') && n !== MANIFEST_ENTRY);
      const unknown = names.find((n) => !(n in checksums));
      if (unknown) throw badBackup(language, 'unlisted', { entry: unknown, manifest: MANIFEST_ENTRY });
      const missing = Object.keys(checksums).find((n) => !zip.has(n));
      if (missing) throw badBackup(language, 'missing', { entry: missing });
      return new BackupArchive(zip, parsed.data, language);
    } catch (error) {
      zip.close();
      throw error;
    }
  }

  /** An entry's bytes; the last chunk is given only once the whole entry matched its checksum. */
  async *bytes(name: string): AsyncGenerator<Buffer> {
    const expected = this.manifest.checksums[name];
    if (!expected) throw this.refuse('missing', { entry: name });
    const hash = createHash('sha256');
    let held: Buffer | undefined;
    try {
      for await (const chunk of this.zip.bytes(name)) {
        hash.update(chunk);
        if (held) yield held;
        held = chunk;
      }
    } catch (error) {
      throw this.refuse('unreadable', { entry: name, reason: (error as Error).message });
    }
    if (hash.digest('hex') !== expected) throw this.refuse('checksum', { entry: name });
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
      throw this.refuse('not_json', { entry: name, reason: (error as Error).message });
    }
  }

  /** A small entry parsed as JSON and checked with a zod schema. */
  async parsed<T>(name: string, schema: Schema<T>): Promise<T> {
    const result = schema.safeParse(await this.json(name));
    if (!result.success) throw this.refuse('invalid', { entry: name, where: result.error.issues[0]!.path.join('.'), problem: result.error.issues[0]!.message });
    return result.data;
  }

  /** Parses one NDJSON line with a zod schema, naming the entry and line when it does not fit. */
  line<T>(name: string, number: number, line: string, schema: Schema<T>): T {
    let value: unknown;
    try {
      value = JSON.parse(line);
    } catch (error) {
      throw this.refuse('line_not_json', { entry: name, line: number, reason: (error as Error).message });
    }
    const parsed = schema.safeParse(value);
    if (!parsed.success) throw this.refuse('line_invalid', { entry: name, line: number, where: parsed.error.issues[0]!.path.join('.'), problem: parsed.error.issues[0]!.message });
    return parsed.data;
  }

  /** A refusal in the restoring user's language. */
  refuse(key: BackupProblem, params: Record<string, string | number> = {}) {
    return badBackup(this.language, key, params);
  }

  has(name: string): boolean {
    return name in this.manifest.checksums;
  }

  close(): void {
    this.zip.close();
  }
}
