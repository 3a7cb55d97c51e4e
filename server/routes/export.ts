import type { FastifyPluginAsync } from 'fastify';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import { z } from 'zod';
import { exportSheetRecords } from '../../schema-engine/index.js';
import { accessOf } from '../authorize.js';
import { csvStream } from '../export/csv.js';
import { xlsxStream } from '../export/xlsx.js';
import { dispositionHeader } from '../files/file-name.js';
import { sheetParams } from './params.js';
import { parseFilter, selectionQuery } from './records.js';

const FORMATS = {
  csv: { type: 'text/csv; charset=utf-8', write: csvStream },
  xlsx: { type: 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet', write: xlsxStream },
} as const;

const exportQuery = z.object({
  format: z.enum(['csv', 'xlsx'], { error: 'must be csv or xlsx' }),
  view: z.string().max(200).optional(),
  fields: z.string().max(20_000).optional(),
  ...selectionQuery,
});

/** A sheet's records as a CSV or XLSX download, streamed as the rows are read (API.md "Import and export"). */
export const exportRoutes: FastifyPluginAsync = async (base) => {
  const app = base.withTypeProvider<ZodTypeProvider>();
  const { ctx } = app;

  app.get('/api/w/:ws/sheets/:sheet/export', { schema: { params: sheetParams, querystring: exportQuery } }, async (request, reply) => {
    const access = await accessOf(ctx, request);
    const { format, filter, ...rest } = request.query;
    const file = await exportSheetRecords(ctx.engine, access, request.params.sheet, { ...rest, filter: parseFilter(filter) });
    const { type, write } = FORMATS[format];
    return reply
      .header('Content-Type', type)
      .header('Content-Disposition', dispositionHeader(`${file.sheetName}.${format}`, false))
      .header('Cache-Control', 'no-store')
      .send(write(file));
  });
};
