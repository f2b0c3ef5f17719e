// Nesting limits (server/core/depth.ts) and the analyses that honour them: no input, however deeply nested, may
// exhaust the stack or turn into an exception that stops a scan; a file past the limit is a "skipped" outcome.
import assert from 'node:assert/strict';
import { before, describe, test } from 'node:test';
import {
  codeNestingDepth,
  jsonNestingDepth,
  MAX_NESTING_DEPTH,
  nestingProblem,
  yamlNestingDepth,
} from '../../server/core/depth';
import { classifyPath } from '../../server/core/fileKinds';
import { createBackend } from '../../server/core/regex';
import { initParsers } from '../../server/analysis/parse';
import { parseJsonTree } from '../../server/analysis/json/jsonc';
import { Engine } from '../../server/engine/engine';
import { factsOfFile } from '../../server/engine/facts';
import { builtinRules } from '../../server/rules';
import { scanText } from './helpers';

const backend = createBackend('js');
let engine: Engine;
before(async () => {
  await initParsers();
  engine = new Engine(builtinRules, {}, backend);
});

const DEEP = 10_000;
const SDK = 'import { McpServer } from "@modelcontextprotocol/sdk/server/mcp.js";\nimport { z } from "zod";\n';
const TS_TOOL = (body: string, params = '{ p }') =>
  `${SDK}import { exec } from "child_process";\nconst server = new McpServer({ name: "s", version: "1" });\n` +
  `server.tool("x", "d", { p: z.string() }, async (${params}) => { ${body} return { content: [] }; });\n`;
const PY_TOOL = (body: string) =>
  `from mcp.server.fastmcp import FastMCP\nimport subprocess\nmcp = FastMCP("s")\n@mcp.tool()\ndef x(p: str):\n    ${body}\n`;

/**
 * Scans a file as the CLI does (workspace facts first, then the rules) and requires that nothing threw and no rule
 * failed; returns the time taken and what `nestingProblem` says about the file.
 */
function scanHostile(path: string, text: string): { ms: number; problem: string | undefined } {
  const kind = classifyPath(path);
  // This process's CPU time, not wall time: a loaded machine stretches wall time while the work stays the same.
  const t0 = process.cpuUsage();
  const problem = nestingProblem(kind, text);
  factsOfFile(backend, path, text, kind);
  const result = scanText(engine, path, text);
  const used = process.cpuUsage(t0);
  const ms = (used.user + used.system) / 1000;
  assert.deepEqual(
    result.errors.map((e) => `${e.ruleId}: ${e.message}`),
    [],
    `${path}: rules failed`,
  );
  return { ms, problem };
}

describe('deeply nested files are skipped with a reason, never a crash', () => {
  test('a 30 KB tools.json nested 10,000 levels', () => {
    const text = `{"tools": ${'['.repeat(DEEP)}${']'.repeat(DEEP)}}`;
    const { problem } = scanHostile('tools.json', text);
    assert.equal(problem, `nested deeper than ${MAX_NESTING_DEPTH} levels`);
  });

  test('a client config nested 10,000 levels', () => {
    const text = `{"servers": {"x": ${'{"a": '.repeat(DEEP)}1${'}'.repeat(DEEP)}}}`;
    assert.equal(scanHostile('.vscode/mcp.json', text).problem, `nested deeper than ${MAX_NESTING_DEPTH} levels`);
    assert.equal(parseJsonTree(text).tooDeep, `nested deeper than ${MAX_NESTING_DEPTH} levels`);
  });

  test('(((…))) and [[[…]]] 10,000 deep in a tool handler, in TypeScript and Python', () => {
    const cases: [string, string][] = [
      ['server.ts', TS_TOOL(`exec(${'('.repeat(DEEP)}p${')'.repeat(DEEP)});`)],
      ['server.ts', TS_TOOL(`exec("sh", ${'['.repeat(DEEP)}p${']'.repeat(DEEP)});`)],
      ['server.py', PY_TOOL(`subprocess.run(${'('.repeat(DEEP)}p${')'.repeat(DEEP)}, shell=True)`)],
      ['server.py', PY_TOOL(`subprocess.run(${'['.repeat(DEEP)}p${']'.repeat(DEEP)})`)],
      ['server.ts', TS_TOOL('exec(p);', `${'{a: '.repeat(DEEP)}p${'}'.repeat(DEEP)}`)],
      ['server.ts', TS_TOOL(`${'if (p) { '.repeat(DEEP)}exec(p);${' }'.repeat(DEEP)}`)],
    ];
    for (const [path, text] of cases) {
      const { ms, problem } = scanHostile(path, text);
      assert.equal(problem, `nested deeper than ${MAX_NESTING_DEPTH} levels`, path);
      assert.ok(ms < 5000, `${path} took ${ms.toFixed(0)} ms`);
    }
  });

  test('a YAML file nested 10,000 levels', () => {
    for (const text of [
      `services:\n  a:\n    x: ${'['.repeat(DEEP)}${']'.repeat(DEEP)}\n`,
      `${'- '.repeat(DEEP)}x\n`,
      `apiVersion: v1\nkind: Pod\nspec: ${'{a: '.repeat(DEEP)}1${'}'.repeat(DEEP)}\n`,
    ]) {
      assert.equal(scanHostile('docker-compose.yml', text).problem, `nested deeper than ${MAX_NESTING_DEPTH} levels`);
    }
  });
});

describe('chains without brackets stay within the stack and in linear time', () => {
  const cases: [string, string][] = [
    ['a member chain a.b.b… 10,000 long (JS)', TS_TOOL(`q${'.b'.repeat(DEEP)}(p); exec(p);`)],
    [
      'a member chain a.b.b… 10,000 long (Python)',
      PY_TOOL(`a${'.b'.repeat(DEEP)}(p)\n    subprocess.run(p, shell=True)`),
    ],
    ['20,000 nested arrow functions', TS_TOOL(`const f = ${'() => '.repeat(2 * DEEP)}exec(p);`)],
    ['10,000 nested lambdas', PY_TOOL(`f = ${'lambda: '.repeat(DEEP)}subprocess.run(p, shell=True)`)],
    ['a string built from 10,000 pieces', TS_TOOL(`exec(${Array.from({ length: DEEP }, () => 'p').join(' + ')});`)],
    ['10,000 ternaries', TS_TOOL(`exec(${'p ? p : '.repeat(DEEP)}p);`)],
  ];
  for (const [name, text] of cases) {
    test(name, () => {
      const path = text.startsWith('from mcp') ? 'server.py' : 'server.ts';
      const { ms, problem } = scanHostile(path, text);
      assert.equal(problem, undefined);
      // Climbing `parent` made 20,000 nested arrow functions take over 15 seconds; linear work takes well under 5.
      assert.ok(ms < 5000, `took ${ms.toFixed(0)} ms`);
    });
  }
});

describe('files nested just within the limit are analysed in full', () => {
  const n = MAX_NESTING_DEPTH - 5;
  test(`JSON, TypeScript, Python and YAML ${n} levels deep`, () => {
    const files: [string, string][] = [
      ['tools.json', `{"tools": [{"name": "t", "description": "d", "x": ${'['.repeat(n)}${']'.repeat(n)}}]}`],
      ['server.ts', TS_TOOL(`exec(${'('.repeat(n)}p${')'.repeat(n)});`)],
      ['server.py', PY_TOOL(`subprocess.run(${'('.repeat(n)}p${')'.repeat(n)}, shell=True)`)],
      ['server.ts', TS_TOOL('exec(p);', `${'{a: '.repeat(n)}p${'}'.repeat(n)}`)],
      ['docker-compose.yml', `services:\n  a:\n    x: ${'['.repeat(n)}${']'.repeat(n)}\n`],
    ];
    for (const [path, text] of files) assert.equal(scanHostile(path, text).problem, undefined, path);
    const ts = scanText(engine, 'server.ts', TS_TOOL(`exec(${'('.repeat(n)}p${')'.repeat(n)});`));
    assert.ok(
      ts.findings.some((f) => f.ruleId === 'js-command-injection'),
      'the sink is still found',
    );
  });
});

describe('the depth checks', () => {
  test('JSON brackets inside strings and comments do not count', () => {
    assert.equal(jsonNestingDepth('{"a": "[[[[", // [[[[\n "b": [[1]] /* {{{{ */}'), 3);
  });
  test('code brackets inside strings, comments and template text do not count; ${…} does', () => {
    assert.equal(codeNestingDepth('f("((((", \'[[[\', `{{{ ${g(1)} `) // ((((\n/* [[[ */', 'js'), 3);
    assert.equal(codeNestingDepth('f("""((((\n""", # [[[[\n x)', 'python'), 1);
  });
  test('YAML counts block collections, entries and flow brackets', () => {
    assert.equal(yamlNestingDepth('a:\n  b:\n    - - [x, {y: 1}]\n'), 7);
    assert.equal(yamlNestingDepth('a: "[[[["  # {{{{\n'), 1);
  });
  test('other kinds have no nesting limit', () => {
    assert.equal(nestingProblem('dotenv', '['.repeat(DEEP)), undefined);
    assert.equal(nestingProblem(undefined, '['.repeat(DEEP)), undefined);
  });
});

describe('no push(...spread) over input-sized arrays', () => {
  test('a client config whose command has 200,000 words', () => {
    const text = `{"mcpServers": {"x": {"command": "${'a '.repeat(200_000)}"}}}`;
    scanHostile('.cursor/mcp.json', text);
  });
  test('a Python description concatenated from 200,000 pieces', () => {
    const pieces = Array.from({ length: 200_000 }, () => '"a"').join(' ');
    scanHostile('server.py', PY_TOOL('pass').replace('@mcp.tool()', `@mcp.tool(description=(${pieces}))`));
  });
});
