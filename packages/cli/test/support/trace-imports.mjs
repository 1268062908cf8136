// Loaded with `node --import` by the lazy-loading test: appends every module URL the process
// resolves to the file named by OSIRIS_TRACE_IMPORTS.
import { register } from 'node:module';

const hooks = `
import { appendFileSync } from 'node:fs';
export async function resolve(specifier, context, nextResolve) {
  const resolved = await nextResolve(specifier, context);
  appendFileSync(process.env.OSIRIS_TRACE_IMPORTS, resolved.url + '\\n');
  return resolved;
}`;

register(`data:text/javascript,${encodeURIComponent(hooks)}`);
