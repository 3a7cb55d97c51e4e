import { z } from 'zod';
import type { SheetDef, WorkspaceOverview } from '../catalog/model.js';
import type { Engine } from '../engine.js';
import { notFound } from '../errors.js';
import { readRecord } from '../records/loader.js';
import { documentData, recordTitle } from './data.js';
import { documentOf, localeSchema, templateSourceSchema } from './documents.js';
import { designedSheet, readableSheet } from '../access/guard.js';
import type { Access } from '../access/model.js';
import { documentPage } from './page.js';
import { compileTemplate } from './template.js';

export const documentPreviewSchema = z.object({ template: templateSourceSchema, recordId: z.string().max(40), locale: localeSchema.optional() }).strict();
export type DocumentPreview = z.output<typeof documentPreviewSchema>;

export interface RenderedDocument {
  /** The whole HTML page, to serve as text/html with DOCUMENT_CSP. */
  html: string;
  title: string;
}

/**
 * A template rendered for one record into its page. The template is checked first (400 with line and column), then
 * the record read (404), then the record's linked records (one statement per link field).
 */
export async function renderTemplate(
  engine: Engine,
  ws: WorkspaceOverview,
  sheet: SheetDef,
  source: string,
  recordId: string,
  locale: string,
  name: string,
): Promise<RenderedDocument> {
  const render = compileTemplate(source);
  const record = await readRecord(engine, ws, sheet, recordId);
  if (!record) throw notFound(`Record "${recordId}"`);
  const data = await documentData(engine.db, ws, sheet, record, locale);
  const title = `${name} · ${recordTitle(sheet, record, locale)}`;
  return { html: documentPage(render(data, locale), title, locale), title };
}

/**
 * A saved document (by id or name) of a record, in the document's locale unless another is asked for: rendered from
 * what the user may read (a record they may not read is 404; hidden fields and unreadable linked records are absent).
 */
export async function renderDocument(engine: Engine, access: Access, sheetRef: string, documentRef: string, recordId: string, locale?: string): Promise<RenderedDocument> {
  const { sheet, full } = readableSheet(access, sheetRef);
  const doc = await documentOf(engine.db, full, documentRef);
  return renderTemplate(engine, access.ws, sheet, doc.template, recordId, locale ?? doc.locale, doc.name);
}

/** An unsaved template rendered for one record: the editor's live preview (designers only). */
export function previewDocument(engine: Engine, access: Access, sheetRef: string, input: DocumentPreview): Promise<RenderedDocument> {
  const sheet = designedSheet(access, sheetRef);
  return renderTemplate(engine, access.ws, readableSheet(access, sheet.id).sheet, input.template, input.recordId, input.locale ?? 'en', sheet.name);
}
