import type { FormLayout } from '../../../schema-engine/forms/layout.js';
import { placedElements } from '../../../schema-engine/forms/walk.js';
import type { Field, Sheet } from '../api/types.js';
import { toInput } from '../fields/controls.js';
import { isReadOnly } from '../fields/format.js';
import { UnparsedNumber, type NumberProblem } from '../fields/number-text.js';
import { isEmpty, type Values } from './form-state.js';

/** What a related list's new row holds before "+ Add row": the child's values by field name. */
export type RowDraft = Values;

/** Whether a new row says anything: one value filled in (an empty or unticked control says nothing). */
export const isFilled = (draft: RowDraft | undefined): boolean => !!draft && Object.values(draft).some((v) => !isEmpty(v));

/** A new row's values as the API takes them: only fields that can be written, links and users as ids. */
export function rowInputs(sheet: Sheet, draft: RowDraft): Values {
  return Object.fromEntries(sheet.fields.filter((f) => f.name in draft && !isReadOnly(f)).map((f) => [f.name, toInput(f, draft[f.name])]));
}

/** Number inputs whose text is not a number, by field name: nothing is sent while there are any. */
export function numberProblems(values: Values): Record<string, NumberProblem> {
  const found: Record<string, NumberProblem> = {};
  for (const [name, value] of Object.entries(values)) if (value instanceof UnparsedNumber) found[name] = value.problem;
  return found;
}

/** The first of a new row's fields, in the sheet's order, that holds text that is no number. */
export function firstRowProblem(sheet: Sheet, draft: RowDraft): { field: Field; problem: NumberProblem } | undefined {
  const problems = numberProblems(draft);
  const field = sheet.fields.find((f) => problems[f.name]);
  return field ? { field, problem: problems[field.name]! } : undefined;
}

/** Names of the link fields a layout shows as related lists (their rows are saved on their own once the parent is). */
export function relatedFieldNames(layout: FormLayout, sheet: Sheet): Set<string> {
  const ids = new Set(placedElements(layout).flatMap(({ element }) => (element.kind === 'related' ? [element.field] : [])));
  return new Set(sheet.fields.filter((f) => ids.has(f.id)).map((f) => f.name));
}
