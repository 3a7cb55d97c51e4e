import { sql } from 'kysely';
import { z } from 'zod';
import { defineFieldType, zodOptions, type FieldType, type SystemColumn } from '../field-type.js';
import { datetimeFromStorage, datetimeToText } from './dates.js';
import { formatDatetime } from './display.js';
import { datetimeCell, textCell } from './export-cells.js';
import { formatUser, USER_SCHEMA, userFromStorage, userObjectSql, userSortSql, userToTextSql } from './users.js';

const noOptions = zodOptions(z.object({}).strict());

/** created_time and updated_time show a system column; they store nothing of their own. */
export function systemTime(id: string, system: SystemColumn): FieldType<object> {
  return defineFieldType<object>({
    id,
    valueKind: 'datetime',
    system,
    parseOptions: noOptions,
    storage: () => null,
    readOnly: true,
    searchable: false,
    inputSchema: () => ({}),
    outputSchema: () => ({ type: 'string', format: 'date-time' }),
    toStorage: () => null,
    fromStorage: datetimeFromStorage,
    format: (value, _o, locale) => formatDatetime(String(value), {}, locale),
    formulaType: () => ({ kind: 'datetime' }),
    exportCell: (value, _o, ctx) => datetimeCell(value, ctx),
    toTextSql: datetimeToText,
    fromTextSql: () => sql`NULL::timestamptz`,
  });
}

/** created_by and updated_by show who wrote the record, as a user. */
export function systemUser(id: string, system: SystemColumn): FieldType<object> {
  return defineFieldType<object>({
    id,
    valueKind: 'user',
    system,
    parseOptions: noOptions,
    storage: () => null,
    readOnly: true,
    formulaType: () => undefined,
    searchable: false,
    inputSchema: () => ({}),
    outputSchema: () => USER_SCHEMA,
    toStorage: () => null,
    fromStorage: userFromStorage,
    format: formatUser,
    exportCell: (value) => textCell(formatUser(value)),
    selectSql: userObjectSql,
    sortSql: userSortSql,
    toTextSql: userToTextSql,
    fromTextSql: () => sql`NULL::text`,
  });
}
