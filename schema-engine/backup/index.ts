// Workspace backups: a streamed zip of the design, team, files, records, links and history; restored as a new workspace.
export { BackupArchive } from './archive.js';
export { planBackup, type BackupEntry, type BackupPlan } from './dump.js';
export { BACKUP_FORMAT, BACKUP_VERSION, MANIFEST_ENTRY } from './format.js';
export { restoreWorkspace, type FileSink, type RestoreResult } from './restore.js';
