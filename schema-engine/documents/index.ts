// Documents: Handlebars templates per sheet, rendered for a record (and its linked records) into a printable page.
export {
  listDocuments,
  getDocument,
  createDocument,
  updateDocument,
  deleteDocument,
  documentInputSchema,
  documentPatchSchema,
  localeSchema,
  type DocumentJson,
  type DocumentInput,
  type DocumentPatch,
} from './documents.js';
export { renderDocument, previewDocument, renderTemplate, documentPreviewSchema, type DocumentPreview, type RenderedDocument } from './render.js';
export { DOCUMENT_CSP, documentPage } from './page.js';
export { compileTemplate, HELPER_NAMES, MAX_TEMPLATE_LENGTH, type TemplateProblem } from './template.js';
export { starterTemplate } from './starter.js';
