/** Field type ids: one list for the engine's registry and the client's controls (pure, no imports). */
export const FIELD_TYPE_IDS = [
  'text',
  'long_text',
  'email',
  'phone',
  'url',
  'number',
  'currency',
  'percent',
  'duration',
  'date',
  'datetime',
  'checkbox',
  'single_select',
  'multi_select',
  'rating',
  'autonumber',
  'user',
  'multi_user',
  'attachment',
  'created_time',
  'updated_time',
  'created_by',
  'updated_by',
  'link',
  'lookup',
  'rollup',
  'formula',
  'button',
] as const;

export type FieldTypeId = (typeof FIELD_TYPE_IDS)[number];

/** The value kinds a unique index can serve (and only for fields that are written, not system ones). */
export const UNIQUE_VALUE_KINDS: readonly string[] = ['text', 'number', 'date', 'datetime', 'autonumber'];

export const isFieldTypeId = (value: string): value is FieldTypeId => (FIELD_TYPE_IDS as readonly string[]).includes(value);

/** Types whose values live elsewhere (a junction table), are computed or are none (a button): no column of their own. */
export const RELATIONAL_TYPE_IDS = ['link', 'lookup', 'rollup', 'formula', 'button'] as const;
export type StoredTypeId = Exclude<FieldTypeId, (typeof RELATIONAL_TYPE_IDS)[number]>;
export const STORED_TYPE_IDS = FIELD_TYPE_IDS.filter((t): t is StoredTypeId => !(RELATIONAL_TYPE_IDS as readonly string[]).includes(t));
