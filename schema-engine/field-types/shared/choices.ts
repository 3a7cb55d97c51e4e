import { sql } from 'kysely';
import { z } from 'zod';
import { newId } from '../../ids.js';
import { FieldValueError, zodOptions, type JsonSchema, type Sql } from '../field-type.js';
import { cleanName, nameKey } from '../../schema-changes/names.js';

export interface Choice {
  id: string;
  name: string;
  color: string;
}
export interface ChoiceOptions {
  choices: Choice[];
}

const PALETTE = ['blue', 'green', 'yellow', 'orange', 'red', 'purple', 'pink', 'cyan', 'teal', 'gray'];

const choiceInput = z.object({
  id: z.string().max(40).optional(),
  // Cleaned and compared as sheet and field names are (schema-changes/names.ts): "A" and "a" are one choice.
  name: z
    .string()
    .overwrite(cleanName)
    .min(1, 'a choice needs a name')
    .max(255)
    .refine((s) => s.isWellFormed(), 'must be well-formed Unicode text (it holds a lone surrogate)'),
  color: z.string().max(30).optional(),
});
const optionsInput = z.object({ choices: z.array(choiceInput).max(1000).default([]) }).strict();
const parseInput = zodOptions(optionsInput);

/**
 * Choices keep their id for life: rows store the id, so renaming a choice rewrites no rows.
 * A choice written without an id keeps the id of the existing choice of the same name.
 */
export function parseChoiceOptions(input: unknown, previous?: ChoiceOptions): ChoiceOptions {
  const { choices } = parseInput(input);
  const seen = new Map<string, string>();
  const result = choices.map((choice, i): Choice => {
    const key = nameKey(choice.name);
    const before = seen.get(key);
    if (before === choice.name) throw new FieldValueError(`options.choices: "${choice.name}" is listed twice`);
    if (before !== undefined) throw new FieldValueError(`options.choices: "${choice.name}" looks the same as "${before}" (choices are compared ignoring case, width and invisible characters)`);
    seen.set(key, choice.name);
    const kept =
      previous?.choices.find((c) => choice.id !== undefined && c.id === choice.id) ??
      previous?.choices.find((c) => c.name === choice.name);
    if (choice.id !== undefined && !kept && !/^chc[a-z0-9]{12}$/.test(choice.id)) {
      throw new FieldValueError(`options.choices: unknown choice id "${choice.id}"`);
    }
    return {
      id: kept?.id ?? choice.id ?? newId('chc'),
      name: choice.name,
      color: choice.color ?? kept?.color ?? PALETTE[i % PALETTE.length]!,
    };
  });
  return { choices: result };
}

/** A written value names a choice by its name (or id); the stored value is the id. */
export function choiceIdFor(value: unknown, o: ChoiceOptions): string {
  const text = String(value);
  const choice = o.choices.find((c) => c.name === text) ?? o.choices.find((c) => c.id === text);
  if (!choice) {
    const names = o.choices.slice(0, 10).map((c) => `"${c.name}"`).join(', ');
    throw new FieldValueError(`"${text}" is not one of the choices${names ? ` (${names}${o.choices.length > 10 ? ', …' : ''})` : ''}`);
  }
  return choice.id;
}

/** A choice as records show it: its name, one of the current ones (a removed choice reads as empty). */
export const choiceSchema = (o: ChoiceOptions): JsonSchema => ({ type: 'string', ...(o.choices.length ? { enum: o.choices.map((c) => c.name) } : {}) });

export const choiceName = (id: unknown, o: ChoiceOptions): string | undefined => o.choices.find((c) => c.id === id)?.name;

/**
 * The choice a text names, in SQL (type changes to a select): its exact name, else one equal ignoring case (choices
 * never differ by case alone).
 */
export const choiceIdOfText = (text: Sql, o: ChoiceOptions): Sql =>
  sql`(SELECT c.id FROM ${choiceTable(o)} WHERE c.name = ${text} OR lower(c.name) = lower(${text}) ORDER BY c.name = ${text} DESC, c.pos LIMIT 1)`;

/** The choices as an inline table (id, name, position) for conversions and sorting in SQL. */
export function choiceTable(o: ChoiceOptions): Sql {
  return sql`unnest(${o.choices.map((c) => c.id)}::text[], ${o.choices.map((c) => c.name)}::text[]) WITH ORDINALITY AS c(id, name, pos)`;
}

/** Stored id → position in the choice list, so choices sort in their defined order. */
export const choicePositionSql = (id: Sql, o: ChoiceOptions): Sql =>
  sql`array_position(${o.choices.map((c) => c.id)}::text[], ${id})`;
