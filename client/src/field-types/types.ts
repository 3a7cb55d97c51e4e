import type { ReactNode } from 'react';
import type { ApiValueKind } from '../../../schema-engine/field-types/field-type.js';
import type { FieldTypeId } from '../../../schema-engine/field-types/type-ids.js';
import type { Field, LinkRef, Sheet } from '../api/types.js';
import type { ControlProps } from '../fields/controls.js';
import type { CellParse, CellTextContext } from '../fields/cell-text.js';
import type { MessageKey } from '../i18n/en.js';

export type { ApiValueKind, FieldTypeId };

/** What a cell renderer gets: the value and the options of the type it shows (a formula's result options). */
export interface CellProps {
  field: Field;
  value: unknown;
  options: Record<string, unknown>;
  locale: string;
  onOpenLink?: ((link: LinkRef) => void) | undefined;
}

/** What a type's options editor in the field dialog gets: the options being edited, and where the field lives. */
export interface OptionsEditorProps {
  options: Record<string, unknown>;
  onChange(options: Record<string, unknown>): void;
  ws: string;
  sheet: Sheet;
  sheets: readonly Sheet[];
  /** The field being changed (when its type is unchanged); undefined for a new one. */
  field?: Field | undefined;
}

/**
 * Everything the client knows about one field type, in one module per type (field-types/<type>.tsx). The API's Field
 * says what a saved field's values are (`valueKind`, `readOnly`, `filterOperators`); `valueKind` and `readOnly` here
 * stand in for a field not saved yet (the designer's new fields) and are checked against the API in tests.
 */
export interface ClientFieldType {
  readonly id: FieldTypeId;
  /** i18n key of the type's name. */
  readonly nameKey: MessageKey;
  readonly valueKind: ApiValueKind;
  readonly readOnly: boolean;
  /** No value at all (a button): its cell shows for every record, from the record alone (fields/record-scope.ts). */
  readonly valueless?: boolean;
  /** Right-aligned, tabular figures. */
  readonly numeric?: boolean;
  /** The designer may give it a default value (with its own control). */
  readonly defaultable?: boolean;
  /** Input control in forms, the grid's editor and the designer. */
  control(props: ControlProps): ReactNode;
  /** A value as text in a locale, honouring the display options (a list element for lists). */
  format(value: unknown, options: Record<string, unknown>, locale: string): string;
  /** A value in a cell when it is more than its text (chips, links); text otherwise. */
  cell?(props: CellProps): ReactNode;
  /** `cell` also shows a list of such values (a lookup of choices); otherwise a list reads as text. */
  readonly listCell?: boolean;
  /** The options as a create or change sends them, when not as edited (a link keeps its sheet). */
  toInput?(options: Record<string, unknown>, existing?: Field): Record<string, unknown>;
  /** Editor of the type's own options in the field dialog; none when the type has no options. */
  optionsEditor?(props: OptionsEditorProps): ReactNode;
  /** Options sent when a field gets this type and nothing was edited (undefined: none). */
  initialOptions?(): Record<string, unknown>;
  /** A value as a write sends it, when not as read (records, files and people by id). */
  toValueInput?(value: unknown): unknown;
  /** Pasted text as a value, when the type reads it its own way (cell-text.ts falls back to its common rules). */
  pasteText?(text: string, field: Field, context: CellTextContext): CellParse;
  /** A value as copied text that `pasteText` reads back, when not as `format` shows it. */
  copyText?(value: unknown, field: Field): string;
  /** A plausible value for the designer's preview (as its control holds it), or null. */
  sample(field: Field, now: Date): unknown;
}
