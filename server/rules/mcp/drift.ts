import { mcpMetadataOf } from '../../analysis/mcp/extract';
import { toolHash } from '../../analysis/mcp/toolHash';
import type { PinIndex, RawFinding, Rule } from '../../core/rule';
import { MCP_KEYWORDS, MCP_KINDS } from './metaText';
import { maskedName } from '../secretDetector';

/**
 * Definition drift against the lock file (`mcp-sentinel pin`): a tool whose name, descriptions or schema changed
 * since it was pinned, a pinned tool that vanished from its file, and a tool added to a pinned file. Rug pulls
 * change a tool after it was approved; this makes every such change visible in review.
 */

/** Sample pins: the hash of nothing in particular, so any real definition differs from it. */
const OLD = '0'.repeat(64);
const samplePins = (file: string, tools: string[]): PinIndex =>
  new Map([[file, new Map(tools.map((t) => [t, { sha256: OLD, server: 'demo' }]))]]);

/** `mcp-tool-definition-drift`: a tool that no longer matches its pin. */
export const toolDefinitionDrift: Rule = {
  id: 'mcp-tool-definition-drift',
  title: 'MCP tool definition changed since it was pinned',
  description:
    "A tool's name, description or input schema no longer matches the lock file, the signature of a rug pull that changes a tool after it was reviewed.",
  category: 'tool-poisoning',
  severity: 'high',
  cwe: ['CWE-494'],
  owasp: ['LLM03:2025'],
  kinds: MCP_KINDS,
  keywords: MCP_KEYWORDS,
  docs: [
    '`mcp-sentinel pin` records a SHA-256 of every tool definition (name, description texts, parameters and the',
    'whitespace-normalised input schema) in `.mcp-sentinel/pins.json`. On later scans a changed definition is reported',
    'at the tool name (high), a tool pinned for this file that no longer exists at the top of the file (medium), and a',
    'tool added to a pinned file at its name (medium). Review the change, then run `mcp-sentinel pin` again to accept it.',
    'Without a lock file the rule reports nothing.',
  ].join(' '),
  detect(ctx) {
    // The project loader indexed a valid lock file by file; an invalid one was reported there and pins nothing.
    const pinned = ctx.workspace.pins?.get(ctx.path);
    if (!pinned?.size) return [];
    const out: RawFinding[] = [];
    const seen = new Set<string>();
    for (const e of mcpMetadataOf(ctx).entities) {
      if (e.kind !== 'tool' || !e.name) continue;
      // The pin file records names with secrets masked (engine/pins.ts), so the lookup masks the same way.
      const name = maskedName(e.name.value);
      seen.add(name);
      const pin = pinned.get(name);
      if (!pin) {
        out.push({
          start: e.name.start,
          end: e.name.end,
          severity: 'medium',
          message: `Tool "${name}" is not in the pin file (added since ${ctx.path} was pinned)`,
        });
        continue;
      }
      const now = toolHash(e, ctx.text);
      if (now !== pin.sha256) {
        out.push({
          start: e.name.start,
          end: e.name.end,
          message: `Tool "${name}" changed since it was pinned (sha256 ${pin.sha256.slice(0, 12)}… → ${now.slice(0, 12)}…); review the new definition`,
        });
      }
    }
    const firstLineEnd = ctx.lines.lineEnd(0);
    for (const [name, pin] of pinned) {
      if (seen.has(name)) continue;
      out.push({
        start: 0,
        end: firstLineEnd,
        key: `removed:${name}`,
        severity: 'medium',
        message: `Pinned tool "${name}" of server "${pin.server}" is no longer defined in this file`,
      });
    }
    return out;
  },
  positive: [
    {
      path: 'server.ts',
      code: 'import { McpServer } from "@modelcontextprotocol/sdk/server/mcp.js";\nconst server = new McpServer({ name: "demo", version: "1" });\nserver.tool("«add»", "Adds two numbers.", async () => ({ content: [] }));\n',
      workspace: { pins: samplePins('server.ts', ['add']) },
      note: 'the pinned hash differs: the definition changed',
    },
    {
      path: 'server.py',
      code: '«from mcp.server.fastmcp import FastMCP»\nmcp = FastMCP("demo")\n@mcp.tool()\ndef «fresh»() -> str:\n    """New tool."""\n    return ""\n',
      workspace: { pins: samplePins('server.py', ['gone']) },
      note: 'a pinned tool vanished (reported on the first line) and a new one appeared',
    },
  ],
  negative: [
    {
      path: 'server.ts',
      code: 'import { McpServer } from "@modelcontextprotocol/sdk/server/mcp.js";\nconst server = new McpServer({ name: "demo", version: "1" });\nserver.tool("add", "Adds two numbers.", async () => ({ content: [] }));\n',
      note: 'no lock file: nothing to compare with',
    },
    {
      path: 'server.ts',
      code: 'import { McpServer } from "@modelcontextprotocol/sdk/server/mcp.js";\nconst server = new McpServer({ name: "demo", version: "1" });\nserver.tool("add", "Adds two numbers.", async () => ({ content: [] }));\n',
      workspace: { pins: samplePins('other.ts', ['add']) },
      note: 'pins of another file do not apply',
    },
  ],
};
