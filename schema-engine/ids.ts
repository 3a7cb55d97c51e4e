import { randomBytes } from 'node:crypto';

const ALPHABET = 'abcdefghijklmnopqrstuvwxyz0123456789';

/** Prefixes make ids readable in logs; the random part is lowercase so it is a safe SQL identifier. */
export type IdPrefix = 'usr' | 'wsp' | 'sht' | 'fld' | 'trs' | 'att' | 'tok' | 'chc' | 'rul' | 'viw' | 'frm' | 'cnv' | 'doc' | 'ses' | 'eml' | 'rol' | 'tea' | 'inv' | 'wfl' | 'run' | 'apr' | 'ntf' | 'imp' | 'whk' | 'dlv';

/** The system user public form submissions are written as (created by migration 005); it cannot sign in. */
export const PUBLIC_FORM_USER_ID = 'usrpublicform00';

export function newId(prefix: IdPrefix, length = 12): string {
  const bytes = randomBytes(length);
  let out = prefix;
  for (const b of bytes) out += ALPHABET[b % ALPHABET.length];
  return out;
}

/**
 * A time-sortable id (workflow runs): the prefix, the time in milliseconds as 9 base-36 digits (enough until the
 * year 5188), then random characters, so ordering by id is ordering by creation and a cursor is an id.
 */
export function newSortableId(prefix: IdPrefix, at = Date.now(), length = 8): string {
  return prefix + at.toString(36).padStart(9, '0') + newId(prefix, length).slice(prefix.length);
}

const SAFE_ID = /^[a-z0-9]{4,40}$/;

/** Generated identifiers only: ids are checked so user text can never become one. */
function ident(prefix: string, id: string): string {
  if (!SAFE_ID.test(id)) throw new Error(`unsafe id for an identifier: ${JSON.stringify(id)}`);
  return `${prefix}${id}`;
}

export const schemaName = (workspaceId: string) => ident('ws_', workspaceId);
export const tableName = (sheetId: string) => ident('s_', sheetId);
export const columnName = (fieldId: string) => ident('f_', fieldId);
export const trashColumnName = (trashId: string) => ident('t_', trashId);
export const uniqueIndexName = (fieldId: string) => ident('u_', fieldId);
/** A sheet's trigram search index over its text-like columns; `version` tells which columns (query/search-text.ts). */
export const searchIndexName = (sheetId: string, version: string) => `x_${ident('', sheetId)}_${ident('', version)}`;
/** Any search index name, ours or one of an earlier version (one per field, `x_<field id>`). */
export const isSearchIndexName = (name: string) => /^x_[a-z0-9]{4,40}(_[a-z0-9]{4,40})?$/.test(name);
/** The primary field's btree of (value, id) over live rows, which serves a page sorted by it. */
export const sortIndexName = (fieldId: string) => ident('o_', fieldId);
/** The owner field's btree of (owner, id) over live rows, which serves a role's "own" and "team" scopes (access/scope.ts). */
export const ownerIndexName = (fieldId: string) => ident('w_', fieldId);
export const sequenceName = (fieldId: string) => ident('q_', fieldId);
/** A link field pair shares one junction table, named after the field created first. */
export const junctionName = (fieldId: string) => ident('j_', fieldId);
export const junctionIndexName = (fieldId: string, side: 'a' | 'b', unique: boolean) => ident(`j${side}${unique ? 'u' : 'i'}_`, fieldId);

/** Catalog ids travel in URLs; anything else is simply not found. */
export const isCatalogId = (value: string) => /^[a-z]{3}[a-z0-9]{12}$/.test(value);
