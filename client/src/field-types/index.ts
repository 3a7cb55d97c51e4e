import { isFieldTypeId, type FieldTypeId } from '../../../schema-engine/field-types/type-ids.js';
import type { Field } from '../api/types.js';
import { attachment } from './attachment.js';
import { autonumber } from './autonumber.js';
import { button } from './button.js';
import { checkbox } from './checkbox.js';
import { createdBy } from './created-by.js';
import { createdTime } from './created-time.js';
import { currency } from './currency.js';
import { date } from './date.js';
import { duration } from './duration.js';
import { datetime } from './datetime.js';
import { email } from './email.js';
import { formula } from './formula.js';
import { link } from './link.js';
import { longText } from './long-text.js';
import { lookup } from './lookup.js';
import { multiSelect } from './multi-select.js';
import { multiUser } from './multi-user.js';
import { number } from './number.js';
import { percent } from './percent.js';
import { phone } from './phone.js';
import { rating } from './rating.js';
import { rollup } from './rollup.js';
import { singleSelect } from './single-select.js';
import { text } from './text.js';
import type { ClientFieldType } from './types.js';
import { updatedBy } from './updated-by.js';
import { updatedTime } from './updated-time.js';
import { url } from './url.js';
import { user } from './user.js';

export type { ClientFieldType };

/** One module per engine type id: a type without one fails to compile. */
export const clientFieldTypes = {
  text,
  long_text: longText,
  email,
  phone,
  url,
  number,
  currency,
  percent,
  duration,
  date,
  datetime,
  checkbox,
  single_select: singleSelect,
  multi_select: multiSelect,
  rating,
  autonumber,
  user,
  multi_user: multiUser,
  attachment,
  created_time: createdTime,
  updated_time: updatedTime,
  created_by: createdBy,
  updated_by: updatedBy,
  link,
  lookup,
  rollup,
  formula,
  button,
} as const satisfies Record<FieldTypeId, ClientFieldType>;

/** A type id from a definition not checked yet (a new field's input); text for one this client does not know. */
export const typeIdOf = (type: string): FieldTypeId => (isFieldTypeId(type) ? type : 'text');

/** The module of a type id (text for an id this client does not know, from a newer server). */
export const clientType = (type: string): ClientFieldType => (clientFieldTypes as Record<string, ClientFieldType>)[type] ?? text;

/**
 * What the API says of a field that is not saved yet (the designer's new fields, previews): its type module's value
 * kind and writability, filtered only by emptiness (every kind takes is_empty and is_not_empty).
 */
export function unsavedFacts(type: string): Pick<Field, 'valueKind' | 'readOnly' | 'filterOperators'> {
  const module = clientType(type);
  return { valueKind: module.valueKind, readOnly: module.readOnly, filterOperators: ['is_empty', 'is_not_empty'] };
}
