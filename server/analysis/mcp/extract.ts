import type { DetectContext } from '../../core/rule';
import { grammarFor, nodeIndexOf, treeOf } from '../parse';
import { extractJs } from './extractJs';
import { extractJson } from './extractJson';
import { extractPy } from './extractPy';
import type { McpMetadata } from './types';

/** Metadata of a document with no MCP definitions. */
function empty(): McpMetadata {
  return { entities: [], instructions: [], serverNames: [], usesMcpSdk: false, dispatchers: [] };
}

/**
 * The MCP metadata of a document (tools, prompts, resources, server instructions and names, call dispatchers),
 * computed once per document and shared by every MCP-aware rule through `ctx.memo`.
 * JS/TS and Python are read from the tree-sitter tree; `json` files from jsonc-parser; other kinds have none.
 */
export function mcpMetadataOf(ctx: DetectContext): McpMetadata {
  return ctx.memo('mcp:metadata', () => {
    if (ctx.kind === 'json') return extractJson(ctx.text);
    if (ctx.kind !== 'js' && ctx.kind !== 'python') return empty();
    const tree = treeOf(ctx);
    if (!tree) return empty();
    const python = (grammarFor(ctx.path) ?? (ctx.kind === 'python' ? 'python' : 'typescript')) === 'python';
    const index = nodeIndexOf(ctx)!;
    return python ? extractPy(tree.rootNode, index) : extractJs(tree.rootNode, index, ctx.path);
  });
}

export type { McpDispatcher, McpEntity, McpMetadata, McpParam, MetaString } from './types';
export { sourceSpan } from './strings';
