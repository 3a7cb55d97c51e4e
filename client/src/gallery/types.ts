import type { Template, TemplateSheet } from '../../../schema-engine/templates/format.js';

/** `GET /api/templates`: one card each. */
export interface TemplateSummary {
  key: string;
  name: string;
  description: string;
  sheets: string[];
  uses: string[];
  /** Roles the install creates (their names in the listing's language). */
  roles: string[];
}

/** `GET /api/templates/:key`: the template with its sheets (sample records counted, not sent). */
export type TemplateDetail = Omit<Template, 'sheets'> & { sheets: (Omit<TemplateSheet, 'records'> & { recordCount: number })[] };
