import { designedSheet, readableSheet } from '../access/guard.js';
import type { Access } from '../access/model.js';
import { audit } from '../access/changes.js';
import { transact } from '../transaction.js';
import type { Engine } from '../engine.js';
import { z } from 'zod';
import type { SheetDef, WorkspaceOverview } from '../catalog/model.js';
import type { Db } from '../db.js';
import { badRequest, EngineError, notFound } from '../errors.js';
import { newId } from '../ids.js';
import { assertNameFree, nameColumns, nameSchema } from '../schema-changes/names.js';
import { starterTemplate } from './starter.js';
import { compileTemplate, MAX_TEMPLATE_LENGTH } from './template.js';

const MAX_DOCUMENTS = 100;

/** A BCP 47 language tag Intl knows (`en`, `zh-TW`, `de-CH`), kept in its canonical spelling. */
export const localeSchema = z
  .string()
  .max(35)
  .transform((tag, ctx) => {
    try {
      const [canonical] = Intl.getCanonicalLocales(tag);
      if (canonical && Intl.NumberFormat.supportedLocalesOf([canonical]).length) return canonical;
    } catch {
      // not a language tag at all
    }
    ctx.addIssue({ code: 'custom', message: 'must be a language tag such as en or zh-TW' });
    return z.NEVER;
  });
export const templateSourceSchema = z.string().max(MAX_TEMPLATE_LENGTH, `must be at most ${MAX_TEMPLATE_LENGTH / 1024} KB`);

export const documentInputSchema = z.object({ name: nameSchema, template: templateSourceSchema.optional(), locale: localeSchema.optional() }).strict();
export const documentPatchSchema = z
  .object({ name: nameSchema.optional(), template: templateSourceSchema.optional(), locale: localeSchema.optional(), version: z.number().int().optional() })
  .strict();
export type DocumentInput = z.output<typeof documentInputSchema>;
export type DocumentPatch = z.output<typeof documentPatchSchema>;

export interface DocumentJson {
  id: string;
  name: string;
  template: string;
  locale: string;
  version: number;
  createdAt: string;
  updatedAt: string;
}

const COLUMNS = ['id', 'name', 'template', 'locale', 'version', 'created_at', 'updated_at'] as const;
type Row = { id: string; name: string; template: string; locale: string; version: number; created_at: Date; updated_at: Date };

const toJson = (row: Row): DocumentJson => ({
  id: row.id,
  name: row.name,
  template: row.template,
  locale: row.locale,
  version: row.version,
  createdAt: row.created_at.toISOString(),
  updatedAt: row.updated_at.toISOString(),
});

/** Two saves racing to one name: the unique index refuses the second like assertNameFree would. */
async function uniqueName<T>(name: string, write: () => Promise<T>): Promise<T> {
  try {
    return await write();
  } catch (error) {
    if ((error as { code?: unknown }).code === '23505') {
      throw badRequest(`A document named "${name}" already exists`, { fields: { name: `"${name}" is already used by another document` } });
    }
    throw error;
  }
}

/** A document template as the audit log keeps it. */
const documentState = (sheet: SheetDef, doc: { name: string; template: string; locale: string; version: number }) => ({
  sheet: { id: sheet.id, name: sheet.name },
  name: doc.name,
  template: doc.template,
  locale: doc.locale,
  version: doc.version,
});

/** A sheet's documents as stored. */
export async function documentsOf(db: Db, sheet: SheetDef): Promise<DocumentJson[]> {
  const rows = await db.selectFrom('documents').select(COLUMNS).where('workspace_id', '=', sheet.workspaceId).where('sheet_id', '=', sheet.id).orderBy('name').orderBy('id').execute();
  return rows.map(toJson);
}

/** A document of the sheet by id or exact name. */
export async function documentOf(db: Db, sheet: SheetDef, ref: string): Promise<DocumentJson> {
  const docs = await documentsOf(db, sheet);
  const found = docs.find((d) => d.id === ref) ?? docs.find((d) => d.name === ref);
  if (!found) throw notFound(`Document "${ref}"`);
  return found;
}

/** A new document; without a template it starts from one generated from the sheet's fields. */
/** A document as a reader sees it: a template is design, and it may name fields hidden from them ("{{Cost}}"). */
export type SeenDocumentJson = Omit<DocumentJson, 'template'> & { template?: string };
const seenDocument = (access: Access, doc: DocumentJson): SeenDocumentJson => {
  if (access.role.design) return doc;
  const { template: _template, ...rest } = doc;
  return rest;
};

/** The documents of a sheet the user may read (anyone reading the sheet may print its records). */
export async function listDocuments(engine: Engine, access: Access, sheetRef: string): Promise<SeenDocumentJson[]> {
  return (await documentsOf(engine.db, readableSheet(access, sheetRef).full)).map((doc) => seenDocument(access, doc));
}

export async function getDocument(engine: Engine, access: Access, sheetRef: string, ref: string): Promise<SeenDocumentJson> {
  return seenDocument(access, await documentOf(engine.db, readableSheet(access, sheetRef).full, ref));
}

export async function createDocument(engine: Engine, access: Access, sheetRef: string, input: DocumentInput): Promise<DocumentJson> {
  const db = engine.db;
  const ws = access.full;
  const sheet = designedSheet(access, sheetRef);
  const userId = access.userId;
  const template = input.template ?? starterTemplate(sheet, ws.sheets);
  compileTemplate(template);
  const existing = await documentsOf(db, sheet);
  if (existing.length >= MAX_DOCUMENTS) throw badRequest(`A sheet can have at most ${MAX_DOCUMENTS} documents`);
  assertNameFree(existing, input.name, 'document');
  const row = await uniqueName(input.name, () =>
    transact(db, async (trx) => {
      const created = await trx
        .insertInto('documents')
        .values({ id: newId('doc'), workspace_id: sheet.workspaceId, sheet_id: sheet.id, ...nameColumns(input.name), template, locale: input.locale ?? 'en', created_by: userId })
        .returning(COLUMNS)
        .executeTakeFirstOrThrow();
      await audit(trx, access, 'document.create', { kind: 'document', id: created.id, name: created.name }, undefined, documentState(sheet, created));
      return created;
    }),
  );
  return toJson(row);
}

/** A rename, a new template or locale; with `version`, a document saved meanwhile by someone else answers 409. */
export async function updateDocument(engine: Engine, access: Access, sheetRef: string, ref: string, patch: DocumentPatch): Promise<DocumentJson> {
  const db = engine.db;
  const sheet = designedSheet(access, sheetRef);
  const docs = await documentsOf(db, sheet);
  const doc = docs.find((d) => d.id === ref) ?? docs.find((d) => d.name === ref);
  if (!doc) throw notFound(`Document "${ref}"`);
  const conflict = () => new EngineError('version_conflict', `Document "${doc.name}" was changed by someone else; nothing was saved`, { currentVersion: doc.version, current: doc });
  if (patch.version !== undefined && patch.version !== doc.version) throw conflict();
  if (patch.name !== undefined) assertNameFree(docs, patch.name, 'document', doc.id);
  if (patch.template !== undefined) compileTemplate(patch.template);
  const name = patch.name ?? doc.name;
  const row = await uniqueName(name, () =>
    transact(db, async (trx) => {
      const updated = await trx
        .updateTable('documents')
        .set((eb) => ({ ...nameColumns(name), template: patch.template ?? doc.template, locale: patch.locale ?? doc.locale, version: eb('version', '+', 1), updated_at: new Date() }))
        .where('id', '=', doc.id)
        .where('version', '=', doc.version)
        .returning(COLUMNS)
        .executeTakeFirst();
      if (updated) await audit(trx, access, 'document.update', { kind: 'document', id: doc.id, name: updated.name }, documentState(sheet, doc), documentState(sheet, updated));
      return updated;
    }),
  );
  if (!row) throw conflict();
  return toJson(row);
}

export async function deleteDocument(engine: Engine, access: Access, sheetRef: string, ref: string): Promise<void> {
  const db = engine.db;
  const sheet = designedSheet(access, sheetRef);
  const doc = await documentOf(db, sheet, ref);
  await transact(db, async (trx) => {
    await trx.deleteFrom('documents').where('id', '=', doc.id).where('sheet_id', '=', sheet.id).execute();
    await audit(trx, access, 'document.delete', { kind: 'document', id: doc.id, name: doc.name }, documentState(sheet, doc), undefined);
  });
}
