import { describe, expect, it } from 'vitest';
import { EngineError } from '../errors.js';
import { MAX_TEMPLATE_NESTING, nestingProblem } from './nesting.js';
import { compileTemplate } from './template.js';

const blocks = (n: number) => `${'{{#if a}}'.repeat(n)}x${'{{/if}}'.repeat(n)}`;
const subexpressions = (n: number) => `{{#if ${'(eq '.repeat(n)}1${' 1)'.repeat(n)}}}x{{/if}}`;

describe('template nesting', () => {
  it('allows templates nested up to the limit', () => {
    expect(nestingProblem(blocks(MAX_TEMPLATE_NESTING))).toBeUndefined();
    expect(nestingProblem(subexpressions(MAX_TEMPLATE_NESTING))).toBeUndefined();
    expect(compileTemplate(blocks(MAX_TEMPLATE_NESTING))({ a: true }, 'en')).toBe('x');
    // Braces and parentheses in comments and strings are text; sibling blocks do not add up.
    expect(nestingProblem(`{{!-- ${'{{#if a}}'.repeat(80)} --}}{{! ((((( }}{{default x "((((((("}}${'{{#if a}}x{{/if}}'.repeat(200)}`)).toBeUndefined();
  });

  it('refuses deeper blocks and subexpressions with where they go too deep, before Handlebars recurses', () => {
    expect(nestingProblem(blocks(3000))).toEqual({ line: 1, column: 9 * MAX_TEMPLATE_NESTING + 1, message: `blocks are nested more than ${MAX_TEMPLATE_NESTING} deep` });
    expect(nestingProblem(`\n\n${subexpressions(3000)}`)).toMatchObject({ line: 3, message: `subexpressions are nested more than ${MAX_TEMPLATE_NESTING} deep` });
    for (const source of [blocks(3000), subexpressions(3000), `${'{{^if a}}'.repeat(3000)}`]) {
      try {
        compileTemplate(source);
        expect.unreachable('a deep template compiled');
      } catch (error) {
        expect(error).toBeInstanceOf(EngineError);
        expect((error as EngineError).details).toMatchObject({ kind: 'syntax', fields: { template: expect.stringMatching(/nested more than 50 deep/) } });
      }
    }
  });
});
