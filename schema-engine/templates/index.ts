// CRM templates: the file format, the shipped library, the installer and the exporter.
export { templateSchema, type Template, type TemplateSheet, type TemplateInput } from './format.js';
export { LANGUAGES, localize, type Language, type Text } from './text.js';
export { checkSheets } from './check.js';
export { loadLibrary, TEMPLATES_DIR, type ResolvedTemplate } from './library.js';
export { installSheets, type InstallOptions, type InstallResult } from './install.js';
export { exportWorkspace } from './export.js';
