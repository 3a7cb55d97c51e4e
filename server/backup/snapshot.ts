import type { Transaction } from 'kysely';
import type { Database, Db } from '../../schema-engine/index.js';

/**
 * A read-only REPEATABLE READ transaction held open until `release`: every statement of a backup reads the same
 * moment of the database, however long the download takes (records, links and history agree with one another).
 */
export async function holdSnapshot(db: Db): Promise<{ trx: Transaction<Database>; release: () => void }> {
  return new Promise((resolve, reject) => {
    let release!: () => void;
    const released = new Promise<void>((done) => (release = done));
    db.transaction()
      .setIsolationLevel('repeatable read')
      .setAccessMode('read only')
      .execute(async (trx) => {
        resolve({ trx, release });
        await released;
      })
      .catch(reject);
  });
}
