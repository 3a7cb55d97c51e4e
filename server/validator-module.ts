import { Ajv } from 'ajv';
import addFormatsModule from 'ajv-formats';
import standaloneCodeModule from 'ajv/dist/standalone/index.js';
import { build } from 'esbuild';

const addFormats = (addFormatsModule as unknown as { default?: typeof addFormatsModule }).default ?? addFormatsModule;
const standaloneCode = (standaloneCodeModule as unknown as { default?: typeof standaloneCodeModule }).default ?? standaloneCodeModule;

/** Built modules by their schema's JSON: users whose roles see the same fields share one. */
const modules = new Map<string, Promise<string>>();
const MAX_MODULES = 500;

/**
 * A sheet's form validator as a JavaScript module for the browser: ajv compiles the same JSON Schema here, ahead of
 * time, and esbuild bundles the code with ajv's runtime helpers and formats. The browser imports it as a script of
 * this origin, so the Content Security Policy needs no 'unsafe-eval'. Built once per schema (a sheet's fields as a
 * role may write them).
 */
export function validatorModule(schema: object): Promise<string> {
  const key = JSON.stringify(schema);
  let module = modules.get(key);
  if (!module) {
    if (modules.size >= MAX_MODULES) modules.clear();
    module = compile(schema);
    modules.set(key, module);
    module.catch(() => modules.delete(key));
  }
  return module;
}

async function compile(schema: object): Promise<string> {
  const ajv = new Ajv({ allErrors: true, strict: false, strictNumbers: true, code: { source: true, esm: true } });
  addFormats(ajv);
  const source = standaloneCode(ajv, ajv.compile(schema));
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
