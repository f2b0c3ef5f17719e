// MCP metadata extraction on realistic snippets of every supported form: names, decoded values, exact source
// offsets (including escapes and spliced constants), parameters, handlers and dispatchers.
import assert from 'node:assert/strict';
import { before, describe, test } from 'node:test';
import { sourceSpan } from '../../server/analysis/mcp/strings';
import type { MetaString } from '../../server/analysis/mcp/types';
import { initParsers } from '../../server/analysis/parse';
import { extractMcp as extract } from './helpers';

before(() => initParsers());

/** Asserts a MetaString's value and that its span covers exactly `src` in `text`. */
function at(text: string, s: MetaString | undefined, value: string, src: string) {
  assert.ok(s, `expected a string ${JSON.stringify(value)}`);
  assert.equal(s.value, value);
  assert.equal(text.slice(s.start, s.end), src);
}

const tsHead =
  'import { McpServer, ResourceTemplate } from "@modelcontextprotocol/sdk/server/mcp.js";\nimport { z } from "zod";\n';

describe('TypeScript SDK (McpServer)', () => {
  test('server.tool overloads: name+handler, +description, +schema, +annotations', () => {
    const text =
      tsHead +
      [
        'const server = new McpServer({ name: "calc", version: "1.0.0" }, { instructions: "Use for arithmetic." });',
        'server.tool("ping", async () => ({ content: [] }));',
        'server.tool("echo", "Echo the input back", async (extra) => ({ content: [] }));',
        'server.tool("add", { a: z.number().describe("First addend"), b: z.number() }, async ({ a, b }) => ({ content: [] }));',
        'server.tool("sub", "Subtract", { a: z.number(), b: z.number() }, { title: "Subtract", readOnlyHint: true }, async (args, extra) => ({ content: [] }));',
      ].join('\n');
    const m = extract('src/index.ts', text);
    assert.equal(m.usesMcpSdk, true);
    at(text, m.serverNames[0], 'calc', 'calc');
    at(text, m.instructions[0], 'Use for arithmetic.', 'Use for arithmetic.');
    assert.deepEqual(
      m.entities.map((e) => e.name?.value),
      ['ping', 'echo', 'add', 'sub'],
    );
    const [ping, echo, add, sub] = m.entities;
    assert.equal(ping!.descriptions.length, 0);
    assert.ok(ping!.handler);
    assert.equal(ping!.handlerParams.length, 0, 'no schema: the handler receives only `extra`');
    at(text, echo!.descriptions[0], 'Echo the input back', 'Echo the input back');
    assert.equal(echo!.handlerParams.length, 0);
    assert.deepEqual(
      add!.params.map((p) => p.name),
      ['a', 'b'],
    );
    at(text, add!.params[0]!.description, 'First addend', 'First addend');
    assert.equal(text.slice(add!.params[0]!.nameSpan.start, add!.params[0]!.nameSpan.end), 'a');
    assert.deepEqual(
      add!.handlerParams.map((n) => n.text),
      ['{ a, b }'],
    );
    assert.deepEqual(
      sub!.descriptions.map((d) => d.value),
      ['Subtract', 'Subtract'],
    );
    assert.deepEqual(
      sub!.params.map((p) => p.name),
      ['a', 'b'],
    );
    assert.deepEqual(
      sub!.handlerParams.map((n) => n.text),
      ['args'],
    );
  });

  test('registerTool, registerPrompt, prompt, resource and resource templates', () => {
    const text =
      tsHead +
      [
        'const server = new McpServer({ name: "files", version: "2" });',
        'server.registerTool("read", { title: "Read file", description: "Read a file", inputSchema: { path: z.string().describe("Absolute path") }, annotations: { title: "Reader" } }, async ({ path }) => ({ content: [] }));',
        'server.registerPrompt("review", { description: "Review code", argsSchema: { code: z.string() } }, ({ code }) => ({ messages: [] }));',
        'server.prompt("explain", "Explain a topic", { topic: z.string() }, (args) => ({ messages: [] }));',
        'server.resource("config", "config://app", async (uri) => ({ contents: [] }));',
        'server.resource("user", new ResourceTemplate("users://{id}", { list: undefined }), { description: "A user profile" }, async (uri, { id }) => ({ contents: [] }));',
        'server.registerResource("doc", "docs://readme", { title: "Readme", description: "Project readme" }, async (uri) => ({ contents: [] }));',
      ].join('\n');
    const m = extract('server.ts', text);
    assert.deepEqual(
      m.entities.map((e) => `${e.kind}:${e.name?.value}`),
      ['tool:read', 'prompt:review', 'prompt:explain', 'resource:config', 'resource:user', 'resource:doc'],
    );
    const read = m.entities[0]!;
    assert.deepEqual(read.descriptions.map((d) => d.value).sort(), ['Read a file', 'Read file', 'Reader']);
    at(text, read.params[0]!.description, 'Absolute path', 'Absolute path');
    assert.deepEqual(
      read.handlerParams.map((n) => n.text),
      ['{ path }'],
    );
    assert.deepEqual(
      m.entities[1]!.params.map((p) => p.name),
      ['code'],
    );
    assert.deepEqual(
      m.entities[2]!.handlerParams.map((n) => n.text),
      ['args'],
    );
    assert.deepEqual(
      m.entities[3]!.handlerParams.map((n) => n.text),
      [],
      'a fixed URI is not client input',
    );
    assert.deepEqual(
      m.entities[4]!.handlerParams.map((n) => n.text),
      ['uri', '{ id }'],
      'template variables are client input',
    );
    assert.deepEqual(m.entities[5]!.descriptions.map((d) => d.value).sort(), ['Project readme', 'Readme']);
  });

  test('constants, templates, concatenation, joins and escapes decode with exact source pieces', () => {
    const text =
      tsHead +
      [
        'const NOTE = "read the config";',
        'const server = new McpServer({ name: "x", version: "1" });',
        'server.tool("t1", `Before use, ${NOTE}.\\u200b`, async () => ({}));',
        'server.tool("t2", "Part one. " + "Part\\x1b[8m two", async () => ({}));',
        'server.tool("t3", ["Line A", "Line B"].join("\\n"), async () => ({}));',
        'server.tool("t4", "tag\\u{E0041}end", async () => ({}));',
      ].join('\n');
    const m = extract('a.ts', text);
    const [t1, t2, t3, t4] = m.entities.map((e) => e.descriptions[0]!);
    assert.equal(t1!.value, 'Before use, read the config.\u200b');
    // The spliced constant maps back to the constant's own literal; the escape maps to its six source characters.
    const c = t1!.value.indexOf('read the config');
    const span = sourceSpan(t1!, c, c + 'read the config'.length);
    assert.equal(text.slice(span.start, span.end), 'read the config');
    assert.ok(span.start < text.indexOf('server.tool("t1"'), 'points into the constant declaration');
    const z = t1!.value.indexOf('\u200b');
    const zs = sourceSpan(t1!, z, z + 1);
    assert.equal(text.slice(zs.start, zs.end), '\\u200b');
    assert.equal(t2!.value, 'Part one. Part\x1b[8m two');
    const e = t2!.value.indexOf('\x1b');
    const es = sourceSpan(t2!, e, e + 4);
    assert.equal(text.slice(es.start, es.end), '\\x1b[8m');
    assert.equal(t3!.value, 'Line A\nLine B');
    assert.equal(t4!.value, 'tag\u{E0041}end');
    const ts = sourceSpan(t4!, 3, 5);
    assert.equal(text.slice(ts.start, ts.end), '\\u{E0041}');
  });

  test('a plain literal has no pieces and its span is the content inside the quotes', () => {
    const text =
      tsHead +
      'const server = new McpServer({ name: "x", version: "1" });\nserver.tool("plain", \'Just text\', async () => ({}));\n';
    const d = extract('a.ts', text).entities[0]!.descriptions[0]!;
    assert.equal(d.pieces, undefined);
    at(text, d, 'Just text', 'Just text');
    const s = sourceSpan(d, 5, 9);
    assert.equal(text.slice(s.start, s.end), 'text');
  });

  test('non-MCP calls with the same method names are ignored', () => {
    const text =
      'import express from "express";\nconst router = express.Router();\nrouter.resource("users", handler);\nconst agent = { tool(name, fn) {} };\nagent.tool("x", () => 1);\n';
    assert.deepEqual(extract('routes.ts', text).entities, []);
  });
});

describe('TypeScript low-level Server', () => {
  test('tools listed from a const array and from inline objects; CallTool dispatcher exposes the request', () => {
    const text = [
      'import { Server } from "@modelcontextprotocol/sdk/server/index.js";',
      'import { CallToolRequestSchema, ListToolsRequestSchema, ListPromptsRequestSchema } from "@modelcontextprotocol/sdk/types.js";',
      'import { zodToJsonSchema } from "zod-to-json-schema";',
      'const ReadArgs = z.object({ path: z.string().describe("Path to read") });',
      'const server = new Server({ name: "fs", version: "0.1.0" }, { capabilities: { tools: {} }, instructions: "Filesystem access" });',
      'const TOOLS = [',
      '  { name: "read_file", description: "Read a file", inputSchema: zodToJsonSchema(ReadArgs) },',
      '  { name: "write_file", description: "Write a file", inputSchema: { type: "object", properties: { path: { type: "string", description: "Target" }, content: { type: "string" } } } },',
      '];',
      'server.setRequestHandler(ListToolsRequestSchema, async () => ({ tools: TOOLS }));',
      'server.setRequestHandler(ListPromptsRequestSchema, async () => ({ prompts: [{ name: "summarise", description: "Summarise", arguments: [{ name: "topic", description: "Topic" }] }] }));',
      'server.setRequestHandler(CallToolRequestSchema, async (request) => {',
      '  const { name, arguments: args } = request.params;',
      '  return { content: [] };',
      '});',
    ].join('\n');
    const m = extract('index.ts', text);
    assert.deepEqual(
      m.entities.map((e) => `${e.kind}:${e.name?.value}`),
      ['tool:read_file', 'tool:write_file', 'prompt:summarise'],
    );
    at(text, m.entities[0]!.params[0]!.description, 'Path to read', 'Path to read');
    assert.deepEqual(
      m.entities[1]!.params.map((p) => `${p.name}=${p.description?.value ?? ''}`),
      ['path=Target', 'content='],
    );
    assert.deepEqual(
      m.entities[2]!.params.map((p) => p.name),
      ['topic'],
    );
    at(text, m.serverNames[0], 'fs', 'fs');
    at(text, m.instructions[0], 'Filesystem access', 'Filesystem access');
    assert.equal(m.dispatchers.length, 1);
    assert.equal(m.dispatchers[0]!.kind, 'tool');
    assert.equal(m.dispatchers[0]!.lang, 'js');
    assert.deepEqual(
      m.dispatchers[0]!.handlerParams.map((n) => n.text),
      ['request'],
    );
  });
});

describe('Python', () => {
  const pyHead =
    'from mcp.server.fastmcp import FastMCP, Context\nfrom typing import Annotated\nfrom pydantic import Field\n';

  test('FastMCP tools: docstrings, keyword names, Annotated Field descriptions, Context skipped', () => {
    const text =
      pyHead +
      [
        'NOTE = "from NWS"',
        'mcp = FastMCP("weather", instructions="Weather " "data")',
        '',
        '@mcp.tool()',
        'async def get_alerts(state: Annotated[str, Field(description="Two-letter state code")], ctx: Context) -> str:',
        '    """Get weather alerts for a US state."""',
        '    return ""',
        '',
        '@mcp.tool(name="forecast", description=f"Forecast {NOTE}")',
        'def get_forecast(latitude: float, longitude: float = Field(description="Longitude")) -> str:',
        '    return ""',
        '',
        '@mcp.resource("users://{user_id}/profile")',
        'def profile(user_id: str) -> str:',
        '    """A user profile."""',
        '    return ""',
        '',
        '@mcp.prompt()',
        'def review(code: str) -> str:',
        '    return code',
      ].join('\n');
    const m = extract('server.py', text);
    assert.equal(m.usesMcpSdk, true);
    at(text, m.serverNames[0], 'weather', 'weather');
    assert.equal(m.instructions[0]!.value, 'Weather data');
    assert.deepEqual(
      m.entities.map((e) => `${e.kind}:${e.name?.value}`),
      ['tool:get_alerts', 'tool:forecast', 'resource:profile', 'prompt:review'],
    );
    const [alerts, forecast, profile] = m.entities;
    at(text, alerts!.descriptions[0], 'Get weather alerts for a US state.', 'Get weather alerts for a US state.');
    assert.deepEqual(
      alerts!.params.map((p) => p.name),
      ['state'],
      'ctx: Context is not a tool argument',
    );
    at(text, alerts!.params[0]!.description, 'Two-letter state code', 'Two-letter state code');
    assert.deepEqual(
      alerts!.handlerParams.map((n) => n.text),
      ['state'],
    );
    assert.equal(forecast!.descriptions[0]!.value, 'Forecast from NWS');
    assert.deepEqual(
      forecast!.params.map((p) => p.name),
      ['latitude', 'longitude'],
    );
    at(text, forecast!.params[1]!.description, 'Longitude', 'Longitude');
    assert.deepEqual(
      profile!.handlerParams.map((n) => n.text),
      ['user_id'],
    );
  });

  test('low-level Server: Tool(...) lists, call_tool dispatcher, escapes in strings', () => {
    const text = [
      'from mcp.server import Server',
      'import mcp.types as types',
      'server = Server("calc")',
      '@server.list_tools()',
      'async def list_tools() -> list[types.Tool]:',
      '    return [types.Tool(name="evaluate", description="Evaluate\\u200b an expression", inputSchema={"type": "object", "properties": {"expr": {"type": "string", "description": "Expression"}}})]',
      '@server.call_tool()',
      'async def call_tool(name: str, arguments: dict) -> list:',
      '    return []',
    ].join('\n');
    const m = extract('calc.py', text);
    assert.deepEqual(
      m.entities.map((e) => e.name?.value),
      ['evaluate'],
    );
    const d = m.entities[0]!.descriptions[0]!;
    assert.equal(d.value, 'Evaluate\u200b an expression');
    const s = sourceSpan(d, 8, 9);
    assert.equal(text.slice(s.start, s.end), '\\u200b');
    at(text, m.entities[0]!.params[0]!.description, 'Expression', 'Expression');
    assert.equal(m.dispatchers.length, 1);
    assert.equal(m.dispatchers[0]!.lang, 'python');
    assert.deepEqual(
      m.dispatchers[0]!.handlerParams.map((n) => n.text),
      ['name', 'arguments'],
    );
  });

  test('a raw string keeps backslashes; a non-MCP decorator is ignored', () => {
    const text = 'import click\n@click.command()\ndef main():\n    pass\n';
    assert.deepEqual(extract('cli.py', text).entities, []);
    const raw =
      'from mcp.server.fastmcp import FastMCP\nmcp = FastMCP("r")\n@mcp.tool(description=r"Matches \\d+ digits")\ndef rx(s: str) -> str:\n    return s\n';
    assert.equal(extract('r.py', raw).entities[0]!.descriptions[0]!.value, 'Matches \\d+ digits');
  });
});

describe('JSON tool lists', () => {
  test('a tools/list answer with escapes maps decoded offsets to the source', () => {
    const text =
      '{"jsonrpc": "2.0", "id": 1, "result": {"tools": [\n  {"name": "add", "description": "Adds\\u200b two numbers", "inputSchema": {"type": "object", "properties": {"a": {"type": "number", "description": "First"}}}}\n]}}';
    const m = extract('capture.json', text);
    assert.equal(m.entities.length, 1);
    at(text, m.entities[0]!.name, 'add', 'add');
    const d = m.entities[0]!.descriptions[0]!;
    assert.equal(d.value, 'Adds\u200b two numbers');
    const s = sourceSpan(d, 4, 5);
    assert.equal(text.slice(s.start, s.end), '\\u200b');
    at(text, m.entities[0]!.params[0]!.description, 'First', 'First');
  });

  test('a manifest with a top-level tools array; unrelated JSON has no tools', () => {
    const text = '{\n  "name": "my-server",\n  "tools": [{ "name": "search", "description": "Search docs" }]\n}';
    assert.deepEqual(
      extract('manifest.json', text).entities.map((e) => e.name?.value),
      ['search'],
    );
    assert.deepEqual(
      extract('package.json', '{"name": "x", "scripts": {"build": "tsc"}, "keywords": ["tools"]}').entities,
      [],
    );
  });
});
