import type { SheetGrant } from '../access/model.js';
import type { SheetDef } from '../catalog/model.js';
import type { JsonSchema } from '../field-types/field-type.js';
import { MAX_LIMIT } from '../query/list.js';
import { MAX_BATCH } from '../records/write.js';
import { AGGREGATES, BUCKETS, MAX_GROUP_FIELDS } from '../summaries/parse.js';
import { ref, schemaNames } from './sheet-schemas.js';

type Operation = JsonSchema;

/** What the caller may do with a sheet's records; a preview of a role reads only. */
export interface SheetOperations {
  read: boolean;
  create: boolean;
  update: boolean;
  delete: boolean;
}

export function sheetOperations(grant: SheetGrant, readOnlyAccess: boolean): SheetOperations {
  const may = (allowed: boolean) => allowed && !readOnlyAccess;
  return { read: true, create: may(grant.create), update: may(grant.access.update !== 'none'), delete: may(grant.access.delete !== 'none') };
}

const json = (schema: JsonSchema) => ({ content: { 'application/json': { schema } } });
const answer = (description: string, schema: JsonSchema) => ({ description, ...json(schema) });
const errors = (...statuses: number[]) => Object.fromEntries(statuses.map((s) => [String(s), { $ref: `#/components/responses/E${s}` }]));

/** The query parameters of a listing and of reading one record (server/routes/records.ts, readQuery). */
const readParameters = [
  { name: 'cellFormat', in: 'query', schema: { type: 'string', enum: ['json', 'string'] }, description: '`string`: every value as display text in `locale` instead of the types below.' },
  { name: 'locale', in: 'query', schema: { type: 'string', maxLength: 35 }, description: 'Locale of `cellFormat=string`, such as zh-TW.' },
];

function listParameters(fieldNames: string[]) {
  // Descriptions are Markdown: the example is code, so a field name is shown as it is.
  const example = JSON.stringify(fieldNames[0] ?? 'Name');
  return [
    { name: 'filter', in: 'query', schema: { type: 'string' }, description: `A JsonLogic expression as URL-encoded JSON, such as \`{"==":[{"var":${example}},"value"]}\` (the fields are those of the records below).` },
    { name: 'sort', in: 'query', schema: { type: 'string' }, description: 'Comma-separated field names, `-` in front for descending.' },
    { name: 'search', in: 'query', schema: { type: 'string' }, description: 'Text matched case-insensitively in the text fields.' },
    { name: 'limit', in: 'query', schema: { type: 'integer', minimum: 1, maximum: MAX_LIMIT, default: 50 } },
    { name: 'cursor', in: 'query', schema: { type: 'string' }, description: '`nextCursor` of the previous page.' },
    { name: 'count', in: 'query', schema: { type: 'string', enum: ['true', 'false'] }, description: '`true` adds `total`.' },
    ...readParameters,
  ];
}

const queryBody: JsonSchema = {
  type: 'object',
  properties: {
    filter: { description: 'A JsonLogic expression (the JSON itself, not text).' },
    sort: { type: 'string' },
    search: { type: 'string' },
    limit: { type: 'integer', minimum: 1, maximum: MAX_LIMIT },
    cursor: { type: 'string' },
    count: { type: 'boolean' },
    cellFormat: { type: 'string', enum: ['json', 'string'] },
    locale: { type: 'string', maxLength: 35 },
  },
  additionalProperties: false,
};

/** A summary's answer (schema-engine/summaries/): per group its values (in the order of `values`), and over all rows. */
const summaryAnswer: JsonSchema = {
  type: 'object',
  required: ['rows', 'total'],
  properties: {
    rows: {
      type: 'array',
      items: {
        type: 'object',
        required: ['group', 'values'],
        properties: {
          group: { type: 'array', description: 'One value per `groupBy` field: null for the empty group, `{id, title}` for a link, `2017-03` for a month.' },
          values: { type: 'array', items: { type: ['number', 'null'] } },
        },
      },
    },
    total: { type: 'array', items: { type: ['number', 'null'] } },
    truncated: { const: true, description: 'Set when there were more groups than are answered.' },
  },
};

function summaryParameters(fieldNames: string[]) {
  const [first = 'Name', second = first] = fieldNames;
  return [
    {
      name: 'groupBy',
      in: 'query',
      schema: { type: 'string' },
      description: `Up to ${MAX_GROUP_FIELDS} comma-separated fields, such as \`${first}\`; a date field may end with \`:${BUCKETS.join('` | `:')}\`.`,
    },
    {
      name: 'values',
      in: 'query',
      schema: { type: 'string' },
      description: `Comma-separated ${AGGREGATES.map((a) => (a === 'count' ? '`count`' : `\`${a}(F)\``)).join(', ')}, such as \`count,sum(${second})\` (default \`count\`). \`filled(F)\` counts the records where F is not empty.`,
    },
    ...listParameters(fieldNames).filter((p) => p.name === 'filter' || p.name === 'search'),
  ];
}

const recordParameter = { name: 'record', in: 'path', required: true, schema: { type: 'string' }, description: 'The record id.' };
const formParameter = { name: 'form', in: 'query', schema: { type: 'string' }, description: 'Write through this form (its published layout and conditions).' };

/**
 * The record routes of one sheet (server/routes/records.ts) that the caller may use, at the sheet's own path (by id,
 * as paths accept), tagged with the sheet's name.
 */
export function sheetPaths(base: string, sheet: SheetDef, ops: SheetOperations): Record<string, Record<string, Operation>> {
  const names = schemaNames(sheet);
  const tags = [sheet.name];
  const records = `${base}/sheets/${sheet.id}/records`;
  const one = `${records}/{record}`;
  const op = (id: string, summary: string, rest: Operation): Operation => ({ tags, operationId: `${id}_${sheet.id}`, summary, ...rest });
  const collection: Record<string, Operation> = {};
  const single: Record<string, Operation> = {};
  const query: Record<string, Operation> = {};
  const summarized: Record<string, Operation> = {};
  const pressed: Record<string, Operation> = {};
  if (ops.read) {
    collection.get = op('list', `List ${sheet.name} records`, {
      parameters: listParameters(sheet.fields.map((f) => f.name)),
      responses: { '200': answer('A page of records.', ref(names.list)), ...errors(400, 401, 403, 404) },
    });
    query.post = op('query', `Query ${sheet.name} records (the listing, its parameters in the body)`, {
      requestBody: { required: true, ...json(queryBody) },
      responses: { '200': answer('A page of records.', ref(names.list)), ...errors(400, 401, 403, 404) },
    });
    summarized.get = op('summary', `Summarize ${sheet.name} records: counts, sums, averages per group`, {
      parameters: summaryParameters(sheet.fields.map((f) => f.name)),
      responses: { '200': answer('The summary.', summaryAnswer), ...errors(400, 401, 403, 404) },
    });
    single.get = op('get', `Read a ${sheet.name} record`, {
      parameters: [recordParameter, ...readParameters, { name: 'include', in: 'query', schema: { type: 'string', enum: ['can'] } }],
      responses: { '200': answer('The record.', ref(names.record)), ...errors(401, 403, 404) },
    });
  }
  if (ops.create) {
    const batch = { type: 'object', required: ['records'], properties: { records: { type: 'array', minItems: 1, maxItems: MAX_BATCH, items: { type: 'object', required: ['fields'], properties: { fields: ref(names.createInput) } } } }, additionalProperties: false };
    collection.post = op('create', `Create ${sheet.name} records: one, or up to ${MAX_BATCH} at once (all or nothing)`, {
      parameters: [formParameter],
      requestBody: {
        required: true,
        ...json({ oneOf: [{ type: 'object', required: ['fields'], properties: { fields: ref(names.createInput) }, additionalProperties: false }, batch] }),
      },
      responses: {
        '201': answer('The record, or `{records}` for a batch.', {
          oneOf: [ref(names.record), { type: 'object', required: ['records'], properties: { records: { type: 'array', items: ref(names.record) } }, additionalProperties: false }],
        }),
        ...errors(400, 401, 403, 404, 409),
      },
    });
  }
  if (ops.update) {
    single.patch = op('update', `Update a ${sheet.name} record`, {
      parameters: [recordParameter, formParameter],
      requestBody: {
        required: true,
        ...json({
          type: 'object',
          required: ['fields'],
          properties: { fields: ref(names.input), version: { type: 'integer', description: 'Refused with 409 when the record has changed since.' } },
          additionalProperties: false,
        }),
      },
      responses: { '200': answer('The record as updated.', ref(names.record)), ...errors(400, 401, 403, 404, 409) },
    });
  }
  const buttons = sheet.fields.filter((f) => f.impl.valueless).map((f) => f.name);
  if (ops.update && buttons.length) {
    pressed.post = op('press', `Press a button field of a ${sheet.name} record: run its workflow or get its URL`, {
      parameters: [recordParameter, { name: 'field', in: 'path', required: true, schema: { type: 'string', enum: buttons }, description: 'The button field, by name or id.' }],
      responses: {
        '202': answer('Its workflow started on the record.', { type: 'object', required: ['runId'], properties: { runId: { type: 'string' } }, additionalProperties: false }),
        '200': answer('Its URL, filled in from the record.', { type: 'object', required: ['url'], properties: { url: { type: 'string' } }, additionalProperties: false }),
        ...errors(400, 401, 403, 404, 409),
      },
    });
  }
  if (ops.delete) {
    single.delete = op('delete', `Delete a ${sheet.name} record (to the trash)`, {
      parameters: [recordParameter],
      responses: {
        '200': answer('Deleted.', { type: 'object', required: ['id', 'deleted'], properties: { id: { type: 'string' }, deleted: { const: true } }, additionalProperties: false }),
        ...errors(401, 403, 404),
      },
    });
  }
  return Object.fromEntries(
    [
      [records, collection],
      [`${records}/query`, query],
      [one, single],
      [`${one}/fields/{field}/press`, pressed],
      [`${base}/sheets/${sheet.id}/summary`, summarized],
    ].filter(([, operations]) => Object.keys(operations as object).length > 0),
  ) as Record<string, Record<string, Operation>>;
}
