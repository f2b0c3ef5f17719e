// The schema strings of a parameter other than its description (title, enum and const values, default, examples)
// are model-visible: each extraction form must hand them to the poisoning rules with exact source spans.
import assert from 'node:assert/strict';
import { before, describe, test } from 'node:test';
import type { McpMetadata } from '../../server/analysis/mcp/types';
import { initParsers } from '../../server/analysis/parse';
import { extractMcp as extract } from './helpers';

before(() => initParsers());

/** Each parameter's schema strings, as `name: value@source` (the source text the span covers). */
function texts(text: string, meta: McpMetadata): string[] {
  return meta.entities.flatMap((e) =>
    e.params.flatMap((p) => (p.texts ?? []).map((s) => `${p.name}: ${s.value}@${text.slice(s.start, s.end)}`)),
  );
}

describe('parameter schema strings', () => {
  test('zod enum, literal, default and catch; JSON Schema written in code', () => {
    const text =
      'import { McpServer } from "@modelcontextprotocol/sdk/server/mcp.js";\nimport { z } from "zod";\nconst server = new McpServer({ name: "s", version: "1" });\n' +
      'server.tool("a", "A.", { mode: z.enum(["fast", "slow"]).default("fast"), kind: z.literal("x"), n: z.number().default(3) }, async () => ({ content: [] }));\n' +
      'server.registerTool("b", { description: "B.", inputSchema: { type: "object", properties: { fmt: { type: "string", title: "Format", enum: ["md"], examples: ["md"] } } } }, async () => ({ content: [] }));\n';
    assert.deepEqual(texts(text, extract('s.ts', text)), [
      'mode: fast@fast',
      'mode: fast@fast',
      'mode: slow@slow',
      'kind: x@x',
      'fmt: Format@Format',
      'fmt: md@md',
      'fmt: md@md',
    ]);
  });

  test('Python Literal, string defaults and Field(title=, default=, examples=); low-level JSON Schema dicts', () => {
    const text =
      'from typing import Literal\nfrom pydantic import Field\nfrom mcp.server.fastmcp import FastMCP\nfrom mcp.types import Tool\nmcp = FastMCP("s")\n' +
      '@mcp.tool()\ndef a(tone: Literal["plain", "warm"] = "plain", note: str = Field(default="n", title="Note", examples=["e"]), k: int = 3) -> str:\n    """A."""\n    return tone\n' +
      'TOOLS = [Tool(name="b", description="B.", inputSchema={"type": "object", "properties": {"fmt": {"type": "string", "enum": ["md", "txt"], "default": "md"}}})]\n';
    assert.deepEqual(texts(text, extract('s.py', text)), [
      'tone: plain@plain',
      'tone: warm@warm',
      'tone: plain@plain',
      'note: Note@Note',
      'note: n@n',
      'note: e@e',
      'fmt: md@md',
      'fmt: md@md',
      'fmt: txt@txt',
    ]);
  });

  test('JSON tool lists', () => {
    const text =
      '{"tools": [{"name": "c", "description": "C.", "inputSchema": {"type": "object", "properties": {"s": {"type": "string", "title": "S", "const": "k", "enum": ["k"]}}}}]}';
    assert.deepEqual(texts(text, extract('tools.json', text)), ['s: S@S', 's: k@k', 's: k@k']);
  });
});
