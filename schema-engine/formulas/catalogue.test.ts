import { describe, expect, it } from 'vitest';
import { CATALOGUE } from './catalogue.js';
import { FUNCTION_BY_OP, FUNCTIONS } from './functions.js';
import { parseFormula } from './parser.js';
import { renderFormula } from './render.js';

describe('the function catalogue', () => {
  it('names each function and operator once', () => {
    expect(new Set(CATALOGUE.map((f) => f.name)).size).toBe(CATALOGUE.length);
    expect(new Set(CATALOGUE.map((f) => f.op)).size).toBe(CATALOGUE.length);
    expect(Object.keys(FUNCTIONS)).toEqual(CATALOGUE.map((f) => f.name));
  });

  for (const fn of CATALOGUE) {
    it(`${fn.name}: its signature, help in both languages and an example that parses and renders back`, () => {
      expect(fn.signature.startsWith(`${fn.name}(`)).toBe(true);
      expect(fn.description.en.length).toBeGreaterThan(10);
      expect(fn.description['zh-TW']).toMatch(/[\u4e00-\u9fff]/);
      const logic = parseFormula(fn.example);
      expect(JSON.stringify(logic)).toContain(`"${fn.op}"`);
      expect(FUNCTION_BY_OP.get(fn.op)).toBe(fn.name);
      expect(parseFormula(renderFormula(logic, (name) => name))).toEqual(logic);
    });
  }
});
