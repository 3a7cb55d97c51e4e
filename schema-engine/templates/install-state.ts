import { refreshAccess } from '../access/load.js';
import type { Access } from '../access/model.js';
import type { Engine } from '../engine.js';
import { TemplateModel } from './model.js';
import { localize, type Language, type Text } from './text.js';

/** What an install has created so far, by template key, and what it needs to translate keys into names and ids. */
export class InstallState {
  readonly sheetIds = new Map<string, string>();
  private readonly fieldIds = new Map<string, string>();
  private readonly recordIds = new Map<string, string>();

  constructor(
    readonly engine: Engine,
    /** The installing admin's Access: every engine function the install calls checks it, as for an admin clicking. */
    readonly access: Access,
    readonly model: TemplateModel,
    readonly language: Language,
  ) {}

  get workspaceId(): string {
    return this.access.workspaceId;
  }

  get userId(): string {
    return this.access.userId;
  }

  /** The installer's Access over the catalog as the install has changed it so far. */
  current(): Promise<Access> {
    return refreshAccess(this.engine, this.access);
  }

  text(text: Text): string {
    return localize(text, this.language);
  }

  sheetId(key: string): string {
    const id = this.sheetIds.get(key);
    if (!id) throw new Error(`template: sheet "${key}" is not created yet`);
    return id;
  }

  hasField(sheetKey: string, fieldKey: string): boolean {
    return this.fieldIds.has(`${sheetKey}/${fieldKey}`);
  }

  setField(sheetKey: string, fieldKey: string, id: string): void {
    this.fieldIds.set(`${sheetKey}/${fieldKey}`, id);
  }

  fieldId(sheetKey: string, fieldKey: string): string {
    const id = this.fieldIds.get(`${sheetKey}/${fieldKey}`);
    if (!id) throw new Error(`template: field "${sheetKey}.${fieldKey}" is not created yet`);
    return id;
  }

  setRecord(sheetKey: string, recordKey: string, id: string): void {
    this.recordIds.set(`${sheetKey}/${recordKey}`, id);
  }

  recordId(sheetKey: string, recordKey: string): string | undefined {
    return this.recordIds.get(`${sheetKey}/${recordKey}`);
  }

  /** A choice's name in the install's language (the template was checked, so it exists). */
  choice(sheetKey: string, choiceKey: string): string {
    const name = this.model.choice(sheetKey, choiceKey);
    if (name === undefined) throw new Error(`template: no choice "${choiceKey}" in "${sheetKey}"`);
    return this.text(name);
  }
}
