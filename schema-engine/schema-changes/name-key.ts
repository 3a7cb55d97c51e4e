/**
 * The comparison of names (pure, no imports: the browser's designer uses it too); see names.ts for what it means.
 */
const IGNORABLE = /\p{Default_Ignorable_Code_Point}/gu;
const JOINER = /^[\u034f\u200c\u200d\ufe00-\ufe0f\u{e0020}-\u{e007f}\u{e0100}-\u{e01ef}]$/u;
// Nothing comes before a name's first character to join or modify; a joiner at its end has nothing to join (a
// variation selector or tag there still modifies the character before it, and stays).
const EDGE = /^[\s\p{Default_Ignorable_Code_Point}]+|[\s\u034f\u200c\u200d]+$/gu;

/** A name as stored: trimmed, without invisible characters other than joiners inside it. */
export function cleanName(name: string): string {
  return name.replace(IGNORABLE, (c) => (JOINER.test(c) ? c : '')).replace(EDGE, '');
}

/** What two names are compared by: no default-ignorable characters, NFKC, case folded (ß = ss, Σ = σ = ς). */
export function nameKey(name: string): string {
  // Upper then lower case folds what lower case alone keeps apart (ß and SS, final and medial sigma); NFKC again
  // after, as case mapping can leave a string unnormalized.
  return name.replace(IGNORABLE, '').normalize('NFKC').toUpperCase().toLowerCase().normalize('NFKC').replace(IGNORABLE, '').trim();
}

export const sameName = (a: string, b: string) => nameKey(a) === nameKey(b);

