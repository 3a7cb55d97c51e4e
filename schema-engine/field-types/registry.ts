import type { FieldType } from './field-type.js';
import { FIELD_TYPE_IDS, RELATIONAL_TYPE_IDS, STORED_TYPE_IDS, type FieldTypeId, type StoredTypeId } from './type-ids.js';
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
import { lookup } from './lookup.js';
import { rollup } from './rollup.js';
import { longText } from './long-text.js';
import { multiSelect } from './multi-select.js';
import { multiUser } from './multi-user.js';
import { number } from './number.js';
import { percent } from './percent.js';
import { phone } from './phone.js';
import { rating } from './rating.js';
import { singleSelect } from './single-select.js';
import { text } from './text.js';
import { updatedBy } from './updated-by.js';
import { updatedTime } from './updated-time.js';
import { url } from './url.js';
import { user } from './user.js';

export { FIELD_TYPE_IDS };

export type { FieldTypeId };

export { RELATIONAL_TYPE_IDS, STORED_TYPE_IDS, type StoredTypeId };

// Options differ per type; each module is typed on its own, the registry only dispatches.
// eslint-disable-next-line @typescript-eslint/no-explicit-any
export const fieldTypes: { readonly [K in FieldTypeId]: FieldType<any> } = {
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
};

export { isFieldTypeId } from './type-ids.js';
