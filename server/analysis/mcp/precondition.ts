/**
 * The words without which the MCP metadata extraction finds nothing in a JS/TS or Python file. Every style it
 * recognises names one of them in the source: an SDK import (`mcp`, `modelcontextprotocol`), a registration method
 * (`tool`, `registerTool`, `prompt`, `resource`, `addTool`, `add_tool`, `call_tool`, `read_resource`, …), a request
 * schema (`CallToolRequestSchema`), a framework class (`MCPTool`), a tool helper (`defineTool`) or the protocol's own
 * `inputSchema` key of a tool object declared on its own. A file without any of them has no tool, prompt or resource,
 * so no handler: its module summary has no handler edge, which is what lets the batch scan leave that summary out
 * until the merge looks the file up (engine/deferredSummaries.ts). A test holds every extraction to it
 * (test/unit/mcp-precondition.test.ts).
 */

// "modelcontextprotocol" holds no "mcp" run of letters, so the SDK's package name is listed on its own.
const MCP_DEFINITION_WORDS = /mcp|modelcontextprotocol|tool|prompt|resource|inputSchema/i;

/**
 * True when the text may hold an MCP definition (a tool, prompt or resource, or a request dispatcher): false means
 * `mcpMetadataOf` finds no entity and no dispatcher in it. (A server name can still be found: `new Server({ name,
 * version })` needs no such word, but a module summary does not record server names.)
 */
export function mayDefineMcp(text: string): boolean {
  return MCP_DEFINITION_WORDS.test(text);
}
