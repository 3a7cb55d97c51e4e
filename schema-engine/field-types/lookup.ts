import { sql } from 'kysely';
import { z } from 'zod';
import { bindThroughLink, resolveThroughLink, type ThroughLinkOptions } from '../computed/references.js';
import { brokenResolved, listResolved } from '../computed/resolved.js';
import { displayValue, leafOf, linkedValues, listSelect, overLink, storedColumn } from '../computed/sql.js';
import { defineFieldType, zodOptions, type FieldType } from './field-type.js';
import { computedDefaults } from './shared/computed.js';

const options = z.object({ link: z.string().min(1).max(200), field: z.string().min(1).max(200) }).strict();

/** The values of a field of the linked records, in link order; a lookup of a lookup (or of a link) flattens. */
export const lookup: FieldType<ThroughLinkOptions> = defineFieldType<ThroughLinkOptions>({
  id: 'lookup',
  valueKind: 'text',
  parseOptions: zodOptions(options),
  bindOptions: bindThroughLink,
  ...computedDefaults,
  resolve(field, resolver): FieldType<ThroughLinkOptions> {
    const found = resolveThroughLink(field, field.options as ThroughLinkOptions, resolver);
    if ('error' in found) return brokenResolved(lookup, found.error);
    const { link, target } = found;
    const leaf = leafOf(target);
    const elements = (alias: string) => linkedValues(resolver.ws, link, target, alias);
    const dependsOn = [link.id, target.id];
    if (target.impl.computed) return listResolved(lookup, leaf, { select: (alias) => listSelect(leaf, elements(alias), alias), elements, dependsOn });
    // A stored target: its non-empty values in link order, aggregated straight over the linked records.
    const values = (alias: string) => {
      const value = storedColumn(target, `${alias}c`);
      return sql`jsonb_agg(${displayValue(leaf, value)} ORDER BY ${sql.ref(`${alias}j.n`)}) FILTER (WHERE ${value} IS NOT NULL)`;
    };
    return listResolved(lookup, leaf, { viaLink: overLink(resolver.ws, link, values, (x) => sql`COALESCE(${x}, '[]'::jsonb)`), elements, dependsOn });
  },
});
