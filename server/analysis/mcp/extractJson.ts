// The ESM build: the UMD entry point loads its parts with dynamic requires that esbuild cannot bundle.
import { parseTree, type Node as JsonNode } from 'jsonc-parser/lib/esm/main.js';
import { jsonNestingDepth, MAX_NESTING_DEPTH } from '../../core/depth';
import { jsonStringPieces, metaFromPieces } from './strings';
import type { McpEntity, McpMetadata, McpParam, MetaString } from './types';

/**
 * MCP metadata from JSON: captured `tools/list` answers (`{ "tools": [...] }`, `{ "result": { "tools": [...] } }`),
 * manifests that list tools, prompts or resources, and the like. jsonc-parser gives exact offsets; each string is
 * decoded with its escapes mapped back to the source.
 */

/** A MetaString for a JSON string node (content inside the quotes). */
function str(n: JsonNode | undefined, text: string): MetaString | undefined {
  if (!n || n.type !== 'string') return undefined;
  const start = n.offset + 1;
  const end = n.offset + n.length - 1;
  return metaFromPieces(jsonStringPieces(text.slice(start, end), start), { start, end });
}

/** The value node of a property of an object node. */
function get(n: JsonNode | undefined, key: string): JsonNode | undefined {
  if (!n || n.type !== 'object') return undefined;
  for (const p of n.children ?? []) {
    if (p.children?.[0]?.value === key) return p.children[1];
  }
  return undefined;
}

/** The string title, default, const, enum values and examples of one JSON Schema property. */
function schemaTexts(prop: JsonNode | undefined, text: string): MetaString[] {
  const out: MetaString[] = [];
  for (const k of ['title', 'default', 'const']) {
    const s = str(get(prop, k), text);
    if (s) out.push(s);
  }
  for (const k of ['enum', 'examples']) {
    const list = get(prop, k);
    if (list?.type !== 'array') continue;
    for (const el of list.children ?? []) {
      const s = str(el, text);
      if (s) out.push(s);
    }
  }
  return out;
}

/** Parameters of a JSON Schema object (`properties`). */
function schemaParams(schema: JsonNode | undefined, text: string): McpParam[] {
  const props = get(schema, 'properties');
  if (props?.type !== 'object') return [];
  const out: McpParam[] = [];
  for (const p of props.children ?? []) {
    const k = p.children?.[0];
    const name = str(k, text);
    if (!k || !name) continue;
    const param: McpParam = { name: name.value, nameSpan: { start: name.start, end: name.end } };
    const d = str(get(p.children?.[1], 'description'), text);
    if (d) param.description = d;
    const texts = schemaTexts(p.children?.[1], text);
    if (texts.length) param.texts = texts;
    out.push(param);
  }
  return out;
}

/** One listed tool, prompt or resource. */
function entity(o: JsonNode, kind: McpEntity['kind'], text: string): McpEntity | undefined {
  const name = str(get(o, 'name'), text);
  if (!name) return undefined;
  const descriptions: MetaString[] = [];
  for (const d of [get(o, 'description'), get(o, 'title'), get(get(o, 'annotations'), 'title')]) {
    const s = str(d, text);
    if (s) descriptions.push(s);
  }
  let params: McpParam[] = [];
  if (kind === 'tool')
    params = schemaParams(get(o, 'inputSchema') ?? get(o, 'input_schema') ?? get(o, 'parameters'), text);
  if (kind === 'prompt') {
    for (const a of get(o, 'arguments')?.children ?? []) {
      const n = str(get(a, 'name'), text);
      if (!n) continue;
      const p: McpParam = { name: n.value, nameSpan: { start: n.start, end: n.end } };
      const d = str(get(a, 'description'), text);
      if (d) p.description = d;
      params.push(p);
    }
  }
  const e: McpEntity = {
    kind,
    name,
    descriptions,
    params,
    span: { start: o.offset, end: o.offset + o.length },
    handlerParams: [],
    api: 'json',
  };
  const schema = get(o, 'inputSchema') ?? get(o, 'input_schema') ?? get(o, 'parameters') ?? get(o, 'arguments');
  if (schema) e.schemaSpan = { start: schema.offset, end: schema.offset + schema.length };
  return e;
}

/** True when an array looks like a list of MCP definitions of this kind. */
function isList(arr: JsonNode, kind: McpEntity['kind']): boolean {
  const items = arr.children ?? [];
  if (items.length === 0 || !items.every((i) => i.type === 'object' && get(i, 'name')?.type === 'string')) return false;
  if (kind === 'tool')
    return items.some(
      (i) => get(i, 'inputSchema') || get(i, 'input_schema') || get(i, 'parameters') || get(i, 'description'),
    );
  if (kind === 'resource') return items.some((i) => get(i, 'uri') || get(i, 'uriTemplate'));
  return items.some((i) => get(i, 'arguments') || get(i, 'description'));
}

const KEYS: Record<string, McpEntity['kind']> = {
  tools: 'tool',
  prompts: 'prompt',
  resources: 'resource',
  resourceTemplates: 'resource',
};

/** Extracts MCP metadata from a JSON document (tool lists; client configs are not handled here). */
export function extractJson(text: string): McpMetadata {
  const meta: McpMetadata = { entities: [], instructions: [], serverNames: [], usesMcpSdk: false, dispatchers: [] };
  // parseTree recurses once per level: a document nested past the limit has no metadata to give (core/depth.ts).
  if (jsonNestingDepth(text) > MAX_NESTING_DEPTH) return meta;
  const root = parseTree(text, [], { allowTrailingComma: true, disallowComments: false });
  if (!root) return meta;
  // Lists sit at the top, under `result` (a JSON-RPC answer) or one level down in a manifest; deeper nesting is data.
  const visit = (n: JsonNode, depth: number) => {
    if (n.type !== 'object' || depth > 3) return;
    for (const p of n.children ?? []) {
      const key = p.children?.[0]?.value as string | undefined;
      const v = p.children?.[1];
      if (!key || !v) continue;
      const kind = KEYS[key];
      if (kind && v.type === 'array' && isList(v, kind)) {
        for (const o of v.children ?? []) {
          const e = entity(o, kind, text);
          if (e) meta.entities.push(e);
        }
      } else if (key === 'instructions' && depth <= 1) {
        const s = str(v, text);
        if (s) meta.instructions.push(s);
      } else if (key === 'serverInfo') {
        const s = str(get(v, 'name'), text);
        if (s) meta.serverNames.push(s);
      } else visit(v, depth + 1);
    }
  };
  visit(root, 0);
  return meta;
}
