import { PREVIEW_ROLE_PREFIX, type Access } from '../access/model.js';
import type { JsonSchema } from '../field-types/field-type.js';
import { sheetOperations, sheetPaths } from './sheet-paths.js';
import { sheetSchemas } from './sheet-schemas.js';

export interface OpenApiOptions {
  /** Where the caller reached the server (`scheme://host:port`): the document's one server. */
  origin: string | undefined;
  /** Name of the session cookie, for the cookie security scheme. */
  sessionCookie: string;
}

/** The error body of every refused request (API.md, Conventions). */
const ERROR_SCHEMA: JsonSchema = {
  type: 'object',
  required: ['error'],
  properties: {
    error: {
      type: 'object',
      required: ['code', 'message'],
      properties: {
        code: { type: 'string', examples: ['validation_failed'] },
        message: { type: 'string', description: 'A sentence in the language of the request.' },
        details: {
          type: 'object',
          properties: { fields: { type: 'object', additionalProperties: { type: 'string' }, description: 'What is wrong, by field name.' } },
        },
      },
    },
  },
};

const ERROR_STATUSES: Record<number, string> = {
  400: 'Bad input (a validation error names each field and its problem).',
  401: 'Not signed in.',
  403: 'Not allowed.',
  404: 'No such sheet or record (or one the caller may not read).',
  409: 'Conflict (a stale version, a unique value taken).',
};

/**
 * The workspace's records API as an OpenAPI 3.1 document, as the caller may use it (GET /api/w/:ws/openapi.json):
 * per sheet they may read, the record operations their role allows, with schemas whose properties are the sheet's
 * real field names and whose value types come from each field's type module. Hidden fields and sheets the caller
 * may not read are not in it, since it is built from the caller's narrowed catalog.
 */
export function workspaceOpenApi(access: Access, options: OpenApiOptions): JsonSchema {
  const base = `/api/w/${access.workspaceId}`;
  const readOnlyAccess = access.role.id.startsWith(PREVIEW_ROLE_PREFIX);
  const paths: Record<string, unknown> = {};
  const schemas: Record<string, JsonSchema> = { Error: ERROR_SCHEMA };
  const tags: { name: string }[] = [];
  for (const full of access.ws.sheets) {
    const grant = access.grant(full.id);
    const sheet = grant?.sheet;
    if (!grant || !sheet) continue;
    Object.assign(schemas, sheetSchemas(sheet, grant));
    Object.assign(paths, sheetPaths(base, sheet, sheetOperations(grant, readOnlyAccess)));
    tags.push({ name: sheet.name });
  }
  return {
    openapi: '3.1.0',
    info: {
      title: access.ws.name,
      // Raised by every schema change: a client may cache the document by it.
      version: access.ws.catalogVersion,
      description: `The records of this workspace's sheets, as the role ${access.role.name} may use them. Values are as records answer them in JSON (\`cellFormat=json\`); empty values are left out.`,
    },
    jsonSchemaDialect: 'https://spec.openapis.org/oas/3.1/dialect/base',
    servers: options.origin ? [{ url: options.origin }] : [],
    security: [{ session: [] }, { bearer: [] }],
    tags,
    paths,
    components: {
      schemas,
      responses: Object.fromEntries(Object.entries(ERROR_STATUSES).map(([status, description]) => [`E${status}`, { description, content: { 'application/json': { schema: { $ref: '#/components/schemas/Error' } } } }])),
      securitySchemes: {
        session: { type: 'apiKey', in: 'cookie', name: options.sessionCookie, description: 'The session of a signed-in browser.' },
        bearer: { type: 'http', scheme: 'bearer', description: 'An API token (POST /api/tokens), acting with its user\'s access.' },
      },
    },
  };
}
