// The model-facing text of a server (server/analysis/modelText/): what handlers return, put into result content or
// throw, and which data files count as served. The rules' samples check the findings; these tests pin the
// extraction itself, so a phrase rule can trust that it sees the author's words and only them.
import assert from 'node:assert/strict';
import { before, describe, test } from 'node:test';
import { dataTexts, servedDataReason } from '../../server/analysis/modelText/dataFiles';
import { returnedTexts } from '../../server/analysis/modelText/returned';
import { initParsers } from '../../server/analysis/parse';
import { createDetectContext } from '../../server/core/context';
import { classifyPath } from '../../server/core/fileKinds';
import { regexBackend } from '../../server/core/regex';
import type { DetectContext } from '../../server/core/rule';

before(() => initParsers());

/** Runs `read` on a detector context for `text` as the file `path`. */
function withCtx<T>(path: string, text: string, read: (ctx: DetectContext) => T): T {
  const { ctx, dispose } = createDetectContext(regexBackend(), path, text, classifyPath(path)!);
  try {
    return read(ctx);
  } finally {
    dispose();
  }
}

const TS =
  'import { McpServer } from "@modelcontextprotocol/sdk/server/mcp.js";\nconst server = new McpServer({ name: "d", version: "1" });\n';

describe('returned texts', () => {
  test('TS: result content, constants, thrown errors, JSON.stringify; not protocol fields, logs or parameters', () => {
    const code =
      TS +
      'const HELP = { usage: "Call with a city.", type: "text" };\n' +
      'server.tool("w", "Weather.", {}, async ({ city }) => {\n' +
      '  console.log("log line");\n' +
      '  if (!city) throw new Error("city is required");\n' +
      '  if (city === "?") return { content: [{ type: "text", text: JSON.stringify(HELP) }] };\n' +
      '  return { content: [{ type: "text", text: `Sunny in ${city}` }], isError: false };\n' +
      '});\n';
    const texts = withCtx('s.ts', code, (ctx) => returnedTexts(ctx));
    assert.deepEqual(
      texts.map((t) => [t.str.value, t.via, t.owner.name, t.constant ?? '']),
      [
        ['Call with a city.', 'return', 'w', 'HELP'],
        ['Sunny in ', 'return', 'w', ''],
        ['city is required', 'error', 'w', ''],
      ],
    );
  });

  test('Python: returns, f-strings, dicts, TextContent, raise', () => {
    const code =
      'from mcp.server.fastmcp import FastMCP\nfrom mcp.types import TextContent\nmcp = FastMCP("d")\n' +
      'BANNER = "Welcome"\n' +
      '@mcp.tool()\ndef a(q: str) -> str:\n    """Doc."""\n    if not q:\n        raise ValueError("q is required")\n    return f"{BANNER}: {q}"\n' +
      '@mcp.tool()\ndef b() -> list:\n    return [TextContent(type="text", text="hello")]\n' +
      '@mcp.prompt()\ndef p() -> dict:\n    return {"role": "user", "content": "Review it"}\n';
    const texts = withCtx('s.py', code, (ctx) => returnedTexts(ctx));
    assert.deepEqual(texts.map((t) => `${t.owner.kind}:${t.owner.name}:${t.via}:${t.str.value}`).sort(), [
      'prompt:p:return:Review it',
      'tool:a:error:q is required',
      'tool:a:return:Welcome: ',
      'tool:b:return:hello',
    ]);
  });
});

describe('served data files', () => {
  test('by folder and seed-script name; never README-like, docs or tests', () => {
    assert.equal(servedDataReason('prompts/a.md'), 'a file in prompts/');
    assert.equal(servedDataReason('src/data/faq.json'), 'a file in data/');
    assert.equal(servedDataReason('scripts/seed_db.py'), 'a seed script');
    assert.equal(servedDataReason('db/seeds/notes.ts'), 'a file in seeds/');
    for (const p of [
      'README.md',
      'prompts/README.md',
      'docs/data/x.json',
      'test/data/x.json',
      'src/server.ts',
      'package.json',
    ])
      assert.equal(servedDataReason(p), undefined, p);
  });

  test('Markdown and HTML are read only below served folders', () => {
    assert.equal(classifyPath('prompts/a.md'), 'text');
    assert.equal(classifyPath('resources/page.html'), 'text');
    assert.equal(classifyPath('docs/guide.md'), undefined);
    assert.equal(classifyPath('README.md'), undefined);
  });

  test('JSON strings are decoded, pattern lists skipped', () => {
    const texts = withCtx('data/a.json', '{"a": "x\\u200by", "patterns": ["ignore"], "b": ["z"]}', (ctx) =>
      dataTexts(ctx),
    );
    assert.deepEqual(
      texts.map((t) => t.str.value),
      ['x\u200by', 'z'],
    );
  });
});
