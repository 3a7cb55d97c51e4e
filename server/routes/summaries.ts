import type { FastifyPluginAsync } from 'fastify';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import { z } from 'zod';
import { summarizeSheet } from '../../schema-engine/index.js';
import { accessOf } from '../authorize.js';
import { requestLanguage } from '../language.js';
import { sheetParams } from './params.js';
import { parseFilter } from './records.js';

// Each checked by the engine, which names a bad one in the request's language (schema-engine/summaries/parse.ts).
const summaryQuery = z.object({
  groupBy: z.unknown().optional().describe('Up to two comma-separated fields; a date field may end with :day, :week, :month, :quarter or :year.'),
  values: z.unknown().optional().describe('Comma-separated count, sum(F), avg(F), min(F), max(F), count_distinct(F), filled(F).'),
  filter: z.string().max(100_000).optional(),
  search: z.unknown().optional(),
});

/** A sheet's summary (API.md "Summaries and dashboards"): counts and sums per group over the rows the caller may read. */
export const summaryRoutes: FastifyPluginAsync = async (base) => {
  const app = base.withTypeProvider<ZodTypeProvider>();
  const { ctx } = app;

  app.get('/api/w/:ws/sheets/:sheet/summary', { schema: { params: sheetParams, querystring: summaryQuery } }, async (request) => {
    const access = await accessOf(ctx, request);
    const { filter, ...rest } = request.query;
    return summarizeSheet(ctx.engine, access, request.params.sheet, { ...rest, filter: parseFilter(filter) }, requestLanguage(request));
  });
};
