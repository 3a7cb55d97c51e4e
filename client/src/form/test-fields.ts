import type { Field } from '../api/types.js';

/** A field as the API answers it, for unit tests of the form's logic. */
export const testField = (id: string, name: string, type: string, options: Record<string, unknown> = {}): Field => ({ id, name, type, options, required: false, unique: false, description: '', defaultValue: null });
