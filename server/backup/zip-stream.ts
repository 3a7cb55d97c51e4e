import { createHash } from 'node:crypto';
import { createReadStream } from 'node:fs';
import { PassThrough, Readable, Transform } from 'node:stream';
import yazl from 'yazl';
import { MANIFEST_ENTRY, type BackupPlan } from '../../schema-engine/index.js';
import { filePath } from '../files/stored-path.js';

/** Passes an entry's bytes through while hashing them; the digest is kept once the entry has ended. */
function hashing(name: string, checksums: Record<string, string>): Transform {
  const hash = createHash('sha256');
  return new Transform({
    transform(chunk: Buffer, _encoding, done) {
      hash.update(chunk);
      done(null, chunk);
    },
    flush(done) {
      checksums[name] = hash.digest('hex');
      done();
    },
  });
}

/**
 * A backup as a zip stream (yazl). Entries are read one after another, each only when the zip reaches it (rows a
 * page at a time, files opened one at a time), so memory stays flat whatever the size. The manifest goes last, with
 * the checksum of every entry before it; a failure midway ends the stream with an error, so no file without its
 * manifest looks complete.
 */
export function backupZipStream(plan: BackupPlan, dataDir: string): Readable {
  const zip = new yazl.ZipFile();
  const checksums: Record<string, string> = {};
  const out = new PassThrough();
  const fail = (error: Error) => out.destroy(error);
  zip.on('error', fail);
  for (const entry of plan.entries) {
    zip.addReadStreamLazy(entry.name, { compress: !('file' in entry) }, (cb) => {
      const source = 'file' in entry ? createReadStream(filePath(dataDir, entry.file.workspaceId, entry.file.id)) : Readable.from(entry.text(), { objectMode: false });
      const hashed = hashing(entry.name, checksums);
      source.once('error', (error: Error) => {
        hashed.destroy(error);
        fail(error);
      });
      cb(null, source.pipe(hashed));
    });
  }
  zip.addReadStreamLazy(MANIFEST_ENTRY, (cb) => cb(null, Readable.from([plan.manifest(checksums)])));
  zip.end();
  zip.outputStream.once('error', fail);
  return zip.outputStream.pipe(out);
}
