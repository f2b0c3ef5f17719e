// The official SDK's high-level API: `server.tool(...)`, `registerTool(...)`, `prompt`, `registerPrompt`,
// `resource`, `registerResource`, in source and in compiled output (`this.server.tool(...)`).
import { stripCasts } from '../../ast';
import type { TSNode } from '../../parse';
import { JsScope, pairs, prop, resolve } from '../evalJs';
import type { McpEntity } from '../types';
import {
  describedBy,
  handlerOf,
  handlerValue,
  type ImportedName,
  isAnnotations,
  paramsFromSchema,
  paramsOf,
  str,
} from './common';

/** The SDK's registration methods. */
export const SDK_METHODS = new Set([
  'tool',
  'registerTool',
  'prompt',
  'registerPrompt',
  'resource',
  'registerResource',
]);

/**
 * One `server.tool(...)`-style registration. A name the file cannot determine (`server.tool(tool.name, …)` in a loop
 * over tool objects, or over operations of an OpenAPI spec) gives a nameless `generated` entity, and one imported
 * from another module a nameless `sdk` entity: either way the handler's input is tool input.
 */
export function sdkEntity(
  call: TSNode,
  method: string,
  args: TSNode[],
  scope: JsScope,
  imports: Map<string, ImportedName>,
): McpEntity | undefined {
  const name = str(args[0], scope);
  const first = args[0] && stripCasts(args[0]);
  if (!name && (!first || first.type === 'string' || first.type === 'template_string')) return undefined;
  const kind = method.toLowerCase().includes('tool')
    ? 'tool'
    : method.toLowerCase().includes('prompt')
      ? 'prompt'
      : 'resource';
  const last = args[args.length - 1];
  const lastFn = handlerOf(last, scope);
  // A handler imported from another module is recorded for cross-file analysis, and is not a schema.
  const ref = lastFn || args.length < 2 ? undefined : handlerValue(last, scope, imports)?.ref;
  const rest = args.slice(1, lastFn || ref ? -1 : undefined);
  const importedName = first?.type === 'identifier' && imports.has(first.text);
  const e: McpEntity = {
    kind,
    descriptions: [],
    params: [],
    span: { start: call.startIndex, end: call.endIndex },
    handlerParams: [],
    api: name || importedName ? 'sdk' : 'generated',
  };
  if (name) e.name = name;
  if (lastFn) e.handler = lastFn;
  if (ref) e.handlerRef = ref;
  const fnParams = lastFn ? paramsOf(lastFn) : [];
  let hasSchema = false;
  if (method.startsWith('register')) {
    if (kind === 'resource') {
      // registerResource(name, uriOrTemplate, metadata, handler)
      for (const x of describedBy(resolve(rest[1], scope), scope)) e.descriptions.push(x);
      if (isTemplate(rest[0], scope)) e.handlerParams = fnParams.slice(0, 2);
      return e;
    }
    const cfg = resolve(rest[0], scope);
    for (const x of describedBy(cfg, scope)) e.descriptions.push(x);
    // A config the file cannot read (`registerTool(t.name, t.config, …)`) is assumed to declare an input schema.
    if (!name && cfg?.type !== 'object' && fnParams[0]) e.handlerParams = [fnParams[0]];
    const schema = prop(cfg, kind === 'tool' ? 'inputSchema' : 'argsSchema');
    if (schema) {
      hasSchema = true;
      e.schemaSpan = { start: schema.startIndex, end: schema.endIndex };
      e.params = paramsFromSchema(schema, scope);
    }
  } else if (kind === 'resource') {
    // resource(name, uriOrTemplate, [metadata], handler)
    for (const x of describedBy(resolve(rest[1], scope), scope)) e.descriptions.push(x);
    if (isTemplate(rest[0], scope)) e.handlerParams = fnParams.slice(0, 2);
    return e;
  } else {
    // tool(name, [description], [paramsSchema], [annotations], handler); prompt(name, [description], [argsSchema], handler)
    for (const a of rest) {
      const s = str(a, scope);
      if (s) {
        e.descriptions.push(s);
        continue;
      }
      const obj = resolve(a, scope);
      // An object holding only hints is the annotations argument, not a schema (unless its values are zod types,
      // as in a schema with a single parameter called "title").
      if (obj?.type === 'object' && isAnnotations(obj) && !looksLikeZodShape(obj, scope)) {
        const t = str(prop(obj, 'title'), scope);
        if (t) e.descriptions.push(t);
        continue;
      }
      if (!hasSchema && (obj?.type === 'object' || obj?.type === 'call_expression')) {
        hasSchema = true;
        e.schemaSpan = { start: a.startIndex, end: a.endIndex };
        e.params = paramsFromSchema(a, scope);
      }
    }
  }
  // In a generated registration the schema is an expression (`tool.inputSchema.shape`): two arguments between the
  // name and the handler are a description and a schema.
  if (!name && rest.length >= 2) hasSchema = true;
  if (hasSchema && fnParams[0]) e.handlerParams = [fnParams[0]];
  return e;
}

/** True when every value of an object literal is a zod call (`z.string()…`), i.e. a raw shape. */
function looksLikeZodShape(obj: TSNode, scope: JsScope): boolean {
  const ps = pairs(obj);
  return (
    ps.length > 0 && ps.every((p) => /^(?:z|zod)\.|^[A-Za-z_$][\w$]*Schema\b/.test(resolve(p.value, scope)?.text ?? ''))
  );
}

/** True for `new ResourceTemplate(...)` (directly or through a constant). */
function isTemplate(n: TSNode | undefined, scope: JsScope): boolean {
  const u = resolve(n, scope);
  return u?.type === 'new_expression' && /ResourceTemplate$/.test(u.childForFieldName('constructor')?.text ?? '');
}
