// The `mcp-framework` package: one class per tool, prompt or resource (`class X extends MCPTool { name = "x";
// description = "…"; schema = { message: { type: z.string(), description: "…" } }; async execute(input) {…} }`),
// discovered by the framework from its folder. Compiled output keeps the class fields or assigns them in the
// constructor (`this.name = "x"`); CommonJS refers to the base as `mcp_framework_1.MCPTool`.
import { kids } from '../../ast';
import type { NodeIndex, TSNode } from '../../parse';
import { JsScope, pairs, prop, resolve } from '../evalJs';
import type { McpEntity, McpParam } from '../types';
import { paramsFromSchema, str } from './common';
import { attach } from './objects';

const BASES: ReadonlyMap<string, McpEntity['kind']> = new Map([
  ['MCPTool', 'tool'],
  ['MCPPrompt', 'prompt'],
  ['MCPResource', 'resource'],
]);

/** The method that receives the client's input, per kind (a static resource's `read()` receives none). */
const INPUT_METHOD: Record<McpEntity['kind'], string> = { tool: 'execute', prompt: 'generateMessages', resource: '' };

/** The base class an `extends` clause names, without its module prefix and type arguments. */
function baseOf(cls: TSNode): string | undefined {
  const heritage = kids(cls).find((c) => c.type === 'class_heritage');
  const ext = heritage && (kids(heritage).find((c) => c.type === 'extends_clause') ?? heritage);
  const v = ext && (ext.childForFieldName('value') ?? kids(ext)[0]);
  return v?.text.replace(/<[\s\S]*$/, '').replace(/^.*\./, '');
}

/** Class members by name: field initialisers and `this.x = …` assignments in the constructor. */
function members(body: TSNode): Map<string, TSNode> {
  const out = new Map<string, TSNode>();
  for (const c of kids(body)) {
    if (c.type === 'public_field_definition' || c.type === 'field_definition') {
      const n = c.childForFieldName('name') ?? c.childForFieldName('property');
      const v = c.childForFieldName('value');
      if (n && v) out.set(n.text, v);
    } else if (c.type === 'method_definition' && c.childForFieldName('name')?.text === 'constructor') {
      for (const a of c.descendantsOfType('assignment_expression')) {
        const left = a?.childForFieldName('left');
        const right = a?.childForFieldName('right');
        if (left?.type === 'member_expression' && left.childForFieldName('object')?.type === 'this' && right) {
          const k = left.childForFieldName('property')?.text;
          if (k && !out.has(k)) out.set(k, right);
        }
      }
    }
  }
  return out;
}

/** Parameters of an mcp-framework schema: `{ p: { type: z.string(), description } }`, or a zod shape/object. */
function frameworkParams(schema: TSNode | undefined, scope: JsScope): McpParam[] {
  const obj = resolve(schema, scope);
  if (obj?.type === 'object' && pairs(obj).every((p) => resolve(p.value, scope)?.type === 'object')) {
    return pairs(obj).map(({ key, keySpan, value }) => {
      const p: McpParam = { name: key, nameSpan: keySpan };
      const d = str(prop(resolve(value, scope), 'description'), scope);
      if (d) p.description = d;
      return p;
    });
  }
  return paramsFromSchema(schema, scope);
}

/** Entities of the mcp-framework classes of a file. */
export function frameworkEntities(index: NodeIndex, scope: JsScope): McpEntity[] {
  const out: McpEntity[] = [];
  for (const cls of index.of(['class_declaration', 'class'])) {
    const kind = cls && BASES.get(baseOf(cls) ?? '');
    const body = cls?.childForFieldName('body');
    if (!cls || !kind || !body) continue;
    const m = members(body);
    const e: McpEntity = {
      kind,
      descriptions: [],
      params: [],
      span: { start: cls.startIndex, end: cls.endIndex },
      handlerParams: [],
      api: 'framework',
    };
    const name = str(m.get('name'), scope) ?? (kind === 'resource' ? str(m.get('uri'), scope) : undefined);
    if (name) e.name = name;
    for (const k of ['description', 'title']) {
      const d = str(m.get(k), scope);
      if (d) e.descriptions.push(d);
    }
    const schema = m.get('schema');
    if (schema) {
      e.schemaSpan = { start: schema.startIndex, end: schema.endIndex };
      e.params = frameworkParams(schema, scope);
    }
    const method = kids(body).find(
      (c) => c.type === 'method_definition' && c.childForFieldName('name')?.text === INPUT_METHOD[kind],
    );
    if (method) attach(e, method);
    out.push(e);
  }
  return out;
}
