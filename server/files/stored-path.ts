import path from 'node:path';

/** Where an uploaded file (an attachment, an import's spreadsheet) is kept: `DATA_DIR/files/<workspace>/<id>`. */
export const filePath = (dataDir: string, workspaceId: string, id: string) => path.join(dataDir, 'files', workspaceId, id);
