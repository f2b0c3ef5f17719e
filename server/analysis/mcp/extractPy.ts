import { kids } from '../ast';
import { indexNodes, type NodeIndex } from '../parse';
import { keywords, positional, PyScope, str } from './py/eval';
import { fastmcpRegistrations } from './py/fastmcp';
import { dispatchEntities, listEntities } from './py/lowlevel';
import { PyModels } from './py/signature';
import type { McpMetadata } from './types';

/**
 * MCP metadata from Python servers. The registration styles live in `py/`: FastMCP decorators and calls and the
 * low-level decorators (`py/fastmcp.ts`), `Tool(...)` lists and the tools a `call_tool` dispatcher branches to
 * (`py/lowlevel.ts`), signatures with their descriptions (`py/signature.ts`), which objects are servers
 * (`py/servers.ts`) and string folding (`py/eval.ts`). This module adds server construction
 * (`FastMCP("name", instructions=…)`) and puts the pieces together.
 */

/** True when the file imports an MCP SDK (`mcp`, `mcp.server.fastmcp`, `fastmcp`, …). */
function importsMcp(index: NodeIndex): boolean {
  for (const imp of index.of(['import_statement', 'import_from_statement'])) {
    if (!imp) continue;
    const mod =
      imp.type === 'import_from_statement'
        ? [imp.childForFieldName('module_name')?.text ?? '']
        : kids(imp).map((k) => k.text);
    if (mod.some((m) => /^(?:mcp|fastmcp)(?:\.|$|\s)/.test(m))) return true;
  }
  return false;
}

/** Extracts MCP metadata from a Python parse tree (`index` is its node index, shared with other analyses). */
export function extractPy(root: Parameters<typeof indexNodes>[0], index: NodeIndex = indexNodes(root)): McpMetadata {
  const usesMcpSdk = importsMcp(index);
  const meta: McpMetadata = { entities: [], instructions: [], serverNames: [], usesMcpSdk, dispatchers: [] };
  const scope = new PyScope(index);
  const calls = index.of('call');
  const px = { scope, models: new PyModels(index), usesMcpSdk };
  const found = fastmcpRegistrations(index.of('decorated_definition'), calls, px);
  for (const x of found.entities) meta.entities.push(x);
  for (const x of found.dispatchers) meta.dispatchers.push(x);

  // Server construction and the low-level `Tool(...)` objects are read only in files that import an SDK: the
  // names are too common elsewhere.
  if (usesMcpSdk) {
    for (const call of calls) {
      if (!/(?:^|\.)(?:FastMCP|Server|McpServer)$/.test(call.childForFieldName('function')?.text ?? '')) continue;
      const kw = keywords(call);
      const n = str(kw.get('name') ?? positional(call)[0], scope);
      if (n) meta.serverNames.push(n);
      const ins = str(kw.get('instructions'), scope);
      if (ins) meta.instructions.push(ins);
    }
    for (const x of listEntities(calls, scope, px.models)) meta.entities.push(x);
  }
  dispatchEntities(meta.dispatchers, meta.entities, index, scope);
  meta.entities.sort((a, b) => a.span.start - b.span.start);
  return meta;
}
