// The `fastmcp` package (TypeScript): `server.addTool({ name, description, parameters, execute })`,
// `addPrompt({ name, description, arguments, load })`, `addResource({ uri, name, load })` and
// `addResourceTemplate({ uriTemplate, name, arguments, load })`.
import { kids } from '../../ast';
import type { TSNode } from '../../parse';
import { JsScope, prop, resolve } from '../evalJs';
import type { McpEntity, McpParam } from '../types';
import { describedBy, handlerValue, type ImportedName, paramsFromSchema, str } from './common';
import { attach, field, spreadSources } from './objects';

/** The fastmcp registration methods and the kind each registers. */
export const FASTMCP_METHODS: ReadonlyMap<string, McpEntity['kind']> = new Map([
  ['addTool', 'tool'],
  ['addTools', 'tool'],
  ['addPrompt', 'prompt'],
  ['addResource', 'resource'],
  ['addResourceTemplate', 'resource'],
]);

/**
 * Entities of one `addTool`/`addPrompt`/`addResource`/`addResourceTemplate` call (the caller has checked the method
 * and that the file uses MCP or the receiver looks like a server). The tool object may be inline or a constant.
 */
export function fastmcpEntities(
  call: TSNode,
  method: string,
  scope: JsScope,
  imports: Map<string, ImportedName>,
): McpEntity[] {
  const kind = FASTMCP_METHODS.get(method)!;
  const arg = kids(call.childForFieldName('arguments'))[0];
  const first = resolve(arg, scope);
  // `addTools([a, b])` registers several objects at once.
  const objs = first?.type === 'array' ? kids(first).map((x) => resolve(x, scope)) : [first];
  const out: McpEntity[] = [];
  for (const obj of objs) {
    if (obj?.type !== 'object') continue;
    // `addTool({ ...scrapeTool, _meta })`: the keys of the spread constant count.
    const spreads = spreadSources(obj, scope);
    const get = (k: string) => field(obj, spreads, k);
    const name = str(get('name'), scope) ?? (kind === 'resource' ? str(get('uriTemplate'), scope) : undefined);
    const h = handlerValue(get(kind === 'tool' ? 'execute' : 'load'), scope, imports);
    if (!name && !h) continue;
    const e: McpEntity = {
      kind,
      descriptions: [obj, ...spreads].flatMap((o) => describedBy(o, scope)),
      params: [],
      span: { start: obj.startIndex, end: obj.endIndex },
      handlerParams: [],
      api: name ? 'fastmcp' : 'generated',
    };
    if (name) e.name = name;
    const schema = get(kind === 'tool' ? 'parameters' : 'arguments');
    if (schema) e.schemaSpan = { start: schema.startIndex, end: schema.endIndex };
    if (kind === 'tool') e.params = paramsFromSchema(schema, scope);
    else e.params = argumentList(schema, scope);
    // A static resource's `load()` receives nothing from the client; a template's and a prompt's receive arguments.
    const takesInput = kind === 'tool' || kind === 'prompt' || method === 'addResourceTemplate';
    if (h?.fn) {
      if (takesInput) attach(e, h.fn);
      else e.handler = h.fn;
    } else if (h?.ref) e.handlerRef = h.ref;
    out.push(e);
  }
  return out;
}

/** Parameters of a prompt or resource template: `arguments: [{ name, description }]`. */
function argumentList(n: TSNode | undefined, scope: JsScope): McpParam[] {
  const arr = resolve(n, scope);
  if (arr?.type !== 'array') return [];
  const out: McpParam[] = [];
  for (const a of kids(arr).map((x) => resolve(x, scope))) {
    const nm = a && str(prop(a, 'name'), scope);
    if (!a || !nm) continue;
    const p: McpParam = { name: nm.value, nameSpan: { start: nm.start, end: nm.end } };
    const d = str(prop(a, 'description'), scope);
    if (d) p.description = d;
    out.push(p);
  }
  return out;
}
