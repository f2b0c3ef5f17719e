/**
 * What marks a workspace as an MCP workspace, as pure tests of names and text (no \`vscode\`, no Node API), so the
 * extension's dormancy check (client/dormancy.ts) and its unit tests read the same definitions.
 */

/** MCP client configs and the project config, by name (the activation's \`workspaceContains\` markers). */
export const MARKER_FILES_GLOB =
  '{**/.vscode/mcp.json,**/.cursor/mcp.json,**/.mcp.json,**/mcp.json,**/claude_desktop_config.json,**/mcp_config.json,**/.mcp-sentinel.json}';

/** Dependency manifests that may declare an MCP SDK. */
export const MANIFEST_GLOB = '{**/package.json,**/pyproject.toml,**/requirements*.txt,**/Pipfile}';

/** True when a file name is an MCP client config or the project config. */
export function isMarkerFileName(name: string): boolean {
  return /^(\.?mcp|claude_desktop_config|mcp_config|\.mcp-sentinel)\.json$/.test(name);
}

/** True when a dependency manifest declares an MCP SDK (TypeScript SDK, the Python \`mcp\` package or FastMCP). */
export function manifestDeclaresMcp(name: string, text: string): boolean {
  if (name === 'package.json') return /"@modelcontextprotocol\/sdk"|"fastmcp"|"mcp-framework"/.test(text);
  // pyproject.toml, requirements*.txt, Pipfile: a requirement named mcp or fastmcp (with extras or a version).
  return /(^|["'\s])(mcp|fastmcp)(\[[^\]]*\])?\s*([<>=~!;"']|$)/im.test(text);
}

/** True when source text imports an MCP SDK (what a server file always does). */
export function importsMcp(text: string): boolean {
  return /@modelcontextprotocol\/sdk|^\s*(from\s+(mcp|fastmcp)(\.|\s+import)|import\s+(mcp|fastmcp)\b)/m.test(text);
}
