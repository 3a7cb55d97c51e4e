import { Ajv } from 'ajv';
import addFormatsModule from 'ajv-formats';
import standaloneCodeModule from 'ajv/dist/standalone/index.js';
import { build } from 'esbuild';
import { formSchema, type SheetDef } from '../schema-engine/index.js';

const addFormats = (addFormatsModule as unknown as { default?: typeof addFormatsModule }).default ?? addFormatsModule;
const standaloneCode = (standaloneCodeModule as unknown as { default?: typeof standaloneCodeModule }).default ?? standaloneCodeModule;

const modules = new WeakMap<SheetDef, Promise<string>>();

/**
 * A sheet's form validator as a JavaScript module for the browser: ajv compiles the same JSON Schema here, ahead of
 * time, and esbuild bundles the code with ajv's runtime helpers and formats. The browser imports it as a script of
 * this origin, so the Content Security Policy needs no 'unsafe-eval'. Built once per catalog snapshot of a sheet.
 */
export function validatorModule(sheet: SheetDef): Promise<string> {
  let module = modules.get(sheet);
  if (!module) {
    module = compile(sheet);
    modules.set(sheet, module);
    module.catch(() => modules.delete(sheet));
  }
  return module;
}

async function compile(sheet: SheetDef): Promise<string> {
  const ajv = new Ajv({ allErrors: true, strict: false, strictNumbers: true, code: { source: true, esm: true } });
  addFormats(ajv);
  const source = standaloneCode(ajv, ajv.compile(formSchema(sheet)));
  const result = await build({
    stdin: { contents: source, resolveDir: process.cwd(), loader: 'js' },
    bundle: true,
    format: 'esm',
    platform: 'browser',
    minify: true,
    write: false,
    logLevel: 'silent',
  });
  return result.outputFiles[0]!.text;
}
