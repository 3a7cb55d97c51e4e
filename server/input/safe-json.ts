import Big from 'big.js';
import secureJson from 'secure-json-parse';

/**
 * JSON from a client, parsed with the three checks JSON.parse does not make, in one pass over the text without
 * recursion (so 100,000 nested brackets cost a loop, not a stack):
 * - nesting at most MAX_JSON_DEPTH deep (every walker after the parser may recurse);
 * - every string and key well-formed Unicode: a lone surrogate (`"\ud800"`) is no text PostgreSQL can store (the
 *   driver would write U+FFFD instead, silently), and neither is NUL (`"\u0000"`: text and jsonb refuse it);
 * - every number kept exactly: JSON.parse reads 12345678901234567890 as 12345678901234567000, so a number whose
 *   decimal text does not survive the round trip through a double is refused rather than stored rounded.
 * A problem is reported with the path of the value (`records.0.fields.Amount`).
 */
export const MAX_JSON_DEPTH = 100;

export const NUMBER_LIMIT_MESSAGE =
  'has more digits than can be kept exactly (numbers are exact to 15 significant digits, whole numbers up to 9007199254740991): send it with fewer digits';
export const NUMBER_RANGE_MESSAGE = 'is beyond the numbers that can be kept (about ±1.8e308, and none so close to 0 it would read as 0)';
export const SURROGATE_MESSAGE = 'contains a lone surrogate (an unpaired \\ud800-\\udfff), which is not Unicode text';
export const NUL_MESSAGE = 'must not contain the NUL character (U+0000)';
export const DEPTH_MESSAGE = `holds values nested more than ${MAX_JSON_DEPTH} deep`;

/** Where a value is: object keys as strings, array indexes as numbers. */
export type JsonPath = (string | number)[];

export class JsonInputError extends Error {
  /** Dotted path of the value (`fields.Name`); empty for the document itself. */
  readonly path: string;
  constructor(
    readonly segments: JsonPath,
    readonly problem: string,
  ) {
    const path = segments.join('.');
    super(`${path || 'the document'} ${problem}`);
    this.path = path.length > MAX_PATH_CHARS ? `${path.slice(0, MAX_PATH_CHARS)}…` : path;
  }
}

interface Frame {
  array: boolean;
  /** Array: index of the current element. Object: where the current key's string starts and ends (quotes included). */
  index: number;
  keyStart: number;
  keyEnd: number;
  expectKey: boolean;
}

const MAX_PATH_CHARS = 300;

function pathOf(text: string, stack: readonly Frame[]): JsonPath {
  const parts: JsonPath = [];
  for (const frame of stack) {
    if (frame.array) parts.push(frame.index);
    else if (frame.keyEnd > frame.keyStart) {
      let key: string;
      try {
        key = JSON.parse(text.slice(frame.keyStart, frame.keyEnd)) as string;
      } catch {
        key = text.slice(frame.keyStart + 1, frame.keyEnd - 1);
      }
      parts.push(key.isWellFormed() ? key : key.toWellFormed());
    }
  }
  return parts;
}

const isHigh = (c: number) => c >= 0xd800 && c <= 0xdbff;
const isLow = (c: number) => c >= 0xdc00 && c <= 0xdfff;
const JSON_NUMBER = /^-?(?:0|[1-9]\d*)(?:\.\d+)?(?:[eE][+-]?\d+)?$/;

/** What is wrong with a JSON number's text, if the double JSON.parse makes of it is not exactly that decimal. */
export function numberProblem(token: string): string | undefined {
  // Up to 15 digits and no exponent: always exact (a double keeps 15 significant decimal digits).
  if (token.length <= 15 && !/[eE]/.test(token)) return undefined;
  // Not a JSON number at all: JSON.parse reports it.
  if (!JSON_NUMBER.test(token)) return undefined;
  const value = Number(token);
  const exact = new Big(token);
  if (!Number.isFinite(value) || (value === 0 && !exact.eq(0))) return NUMBER_RANGE_MESSAGE;
  return exact.eq(new Big(String(value))) ? undefined : NUMBER_LIMIT_MESSAGE;
}

/** Checks the text (see above); answers nothing, throws JsonInputError at the first problem. */
export function checkJsonText(text: string): void {
  const stack: Frame[] = [];
  const wellFormed = text.isWellFormed();
  const next = { backslash: text.indexOf('\\') };
  const n = text.length;
  let i = 0;
  while (i < n) {
    const c = text.charCodeAt(i);
    if (c === 0x22 /* " */) {
      const start = i;
      i = wellFormed ? skipWellFormedString(text, i, stack, next) : skipString(text, i, stack);
      const top = stack[stack.length - 1];
      if (top && !top.array && top.expectKey) {
        top.keyStart = start;
        top.keyEnd = i;
        top.expectKey = false;
      }
      continue;
    }
    if (c === 0x7b /* { */ || c === 0x5b /* [ */) {
      stack.push({ array: c === 0x5b, index: 0, keyStart: 0, keyEnd: 0, expectKey: c === 0x7b });
      if (stack.length > MAX_JSON_DEPTH) throw new JsonInputError(pathOf(text, stack.slice(0, 6)), DEPTH_MESSAGE);
    } else if (c === 0x7d /* } */ || c === 0x5d /* ] */) {
      stack.pop();
    } else if (c === 0x2c /* , */) {
      const top = stack[stack.length - 1];
      if (top?.array) top.index++;
      else if (top) {
        top.expectKey = true;
        top.keyStart = top.keyEnd = 0;
      }
    } else if (c === 0x2d /* - */ || (c >= 0x30 && c <= 0x39)) {
      const start = i;
      for (i++; i < n && isNumberChar(text.charCodeAt(i)); i++);
      const problem = numberProblem(text.slice(start, i));
      if (problem) throw new JsonInputError(pathOf(text, stack), problem);
      continue;
    }
    i++;
  }
}

/** Digits, ".", "e", "E", "+" and "-": what a JSON number is written with. */
const isNumberChar = (c: number) => (c >= 0x30 && c <= 0x39) || c === 0x2e || c === 0x65 || c === 0x45 || c === 0x2b || c === 0x2d;

/** The escape at `i` (a backslash): `\u0000` and surrogates that do not pair are refused. Answers the index after it. */
function escapeAt(text: string, i: number, pending: { high: boolean }, bad: (message: string) => JsonInputError): number {
  if (text.charCodeAt(i + 1) !== 0x75 /* u */) {
    if (pending.high) throw bad(SURROGATE_MESSAGE);
    return i + 2;
  }
  const unit = Number.parseInt(text.slice(i + 2, i + 6), 16);
  if (Number.isNaN(unit)) return i + 2; // JSON.parse refuses it
  if (unit === 0) throw bad(NUL_MESSAGE);
  if (pending.high !== isLow(unit)) throw bad(SURROGATE_MESSAGE);
  pending.high = isHigh(unit);
  return i + 6;
}

/** A string in well-formed text (a surrogate can only be escaped): from one quote or backslash to the next. */
function skipWellFormedString(text: string, i: number, stack: readonly Frame[], next: { backslash: number }): number {
  const pending = { high: false };
  const bad = (message: string) => new JsonInputError(pathOf(text, stack), message);
  let from = i + 1;
  for (;;) {
    const quote = text.indexOf('"', from);
    if (quote < 0) return text.length; // JSON.parse refuses it
    // The next backslash is looked up again only once passed: text without any is not scanned once per string.
    if (next.backslash >= 0 && next.backslash < from) next.backslash = text.indexOf('\\', from);
    const backslash = next.backslash;
    if (backslash < 0 || backslash > quote) {
      if (pending.high) throw bad(SURROGATE_MESSAGE);
      return quote + 1;
    }
    from = escapeAt(text, backslash, pending, bad);
    // A high surrogate's escape must be followed at once by its low one.
    if (pending.high && text.charCodeAt(from) !== 0x5c) throw bad(SURROGATE_MESSAGE);
  }
}

/** From the opening quote at `i`: answers the index after the closing quote, checking raw surrogates on the way. */
function skipString(text: string, i: number, stack: readonly Frame[]): number {
  const pending = { high: false };
  const bad = (message: string) => new JsonInputError(pathOf(text, stack), message);
  for (i++; i < text.length; ) {
    const c = text.charCodeAt(i);
    if (c === 0x22) {
      if (pending.high) throw bad(SURROGATE_MESSAGE);
      return i + 1;
    }
    if (c === 0x5c /* \ */) {
      i = escapeAt(text, i, pending, bad);
      continue;
    }
    if (pending.high !== isLow(c)) throw bad(SURROGATE_MESSAGE);
    pending.high = isHigh(c);
    i++;
  }
  return i;
}

/**
 * Parsed after checkJsonText by secure-json-parse (Fastify's own JSON parser): `__proto__` and
 * `constructor.prototype` keys are refused, as Fastify refuses them. A syntax error is a JsonInputError of the document.
 */
export function parseJsonInput(text: string): unknown {
  checkJsonText(text);
  try {
    return secureJson.parse(text, undefined, { protoAction: 'error', constructorAction: 'error' });
  } catch (error) {
    throw new JsonInputError([], `is not valid JSON (${(error as Error).message})`);
  }
}
