// The inert-edit test of the editor's incremental scan (engine/incremental/units.ts) and the moving of results past
// such an edit (relocate.ts), on small hand-written cases: which edits count as inert, which do not, and where the
// moved spans, lines and facts land. The random-edit property (incremental-equivalence.test.ts) checks the whole.
import assert from 'node:assert/strict';
import { before, test } from 'node:test';
import { initParsers, parse, type Grammar } from '../../server/analysis/parse';
import { LineIndex } from '../../server/core/text';
import { inertEditOf, unitsOf, type InertEdit, type UnitVersion } from '../../server/engine/incremental/units';
import { moveFacts, moveFindings } from '../../server/engine/incremental/relocate';

before(async () => {
  await initParsers();
});

function version(text: string, grammar: Grammar = 'typescript'): UnitVersion {
  const tree = parse(text, grammar);
  try {
    assert.ok(!tree.rootNode.hasError, `syntax error in ${JSON.stringify(text)}`);
    return { text, lines: new LineIndex(text), units: unitsOf(tree, grammar === 'python') };
  } finally {
    tree.delete();
  }
}

const TOOL = (n: number) =>
  `server.tool('t${n}', 'Reads.', { p: z.string() }, async ({ p }) => {\n  const t = await readFile(p);\n  return { content: [{ type: 'text', text: t }] };\n});\n`;
const HEAD =
  "import { readFile } from 'node:fs/promises';\nconst server = new McpServer({ name: 'x', version: '1' });\n";
const BASE = HEAD + TOOL(1) + '\n' + TOOL(2);

/** The edit from BASE (or `base`) to the text with `line` inserted before the line that starts with `at`. */
function insertBefore(at: string, line: string, base = BASE, grammar: Grammar = 'typescript'): InertEdit | undefined {
  const i = base.indexOf(at);
  assert.ok(i >= 0);
  return inertEditOf(version(base, grammar), version(base.slice(0, i) + line + base.slice(i), grammar));
}

test('a literal bound to a name nobody mentions, typed between two statements, is an inert edit', () => {
  const line = 'const leaked = "ghp_abcdefghijkmnopqrstuvwxyzABCDEFGHJK";\n';
  const edit = insertBefore("server.tool('t2'", line);
  const at = BASE.indexOf("server.tool('t2'");
  const row = BASE.slice(0, at).split('\n').length - 1;
  assert.deepEqual(edit, {
    start: at,
    oldEnd: at,
    newEnd: at + line.length,
    startLine: row,
    oldEndLine: row,
    lineDelta: 1,
  });
});

test('comments, blank lines, numbers and plain templates are inert; a line that starts like its neighbour too', () => {
  assert.ok(insertBefore("server.tool('t2'", '// mcp-sentinel-ignore-next-line\n'));
  assert.ok(insertBefore("server.tool('t2'", '\n\n'));
  assert.ok(insertBefore("server.tool('t2'", 'let a = 1, b = `plain`, c;\n'));
  // The common prefix `const ` puts the differing span inside the next line; it is slid back to the line start.
  assert.ok(insertBefore('const server', 'const other = "value";\n'));
});

test('anything that could change an analysis is not inert', () => {
  // The name is read elsewhere, the value is computed, a template interpolates, a call, a function.
  assert.equal(insertBefore("server.tool('t2'", 'const server2 = "x";\nserver2;\n'), undefined);
  assert.equal(insertBefore("server.tool('t2'", 'const p = "x";\n'), undefined);
  assert.equal(insertBefore("server.tool('t2'", 'const a = "x" + "y";\n'), undefined);
  assert.equal(insertBefore("server.tool('t2'", 'const a = `${process.env.HOME}`;\n'), undefined);
  assert.equal(insertBefore("server.tool('t2'", 'const a: string = "x";\n'), undefined);
  assert.equal(insertBefore("server.tool('t2'", 'const { a } = { a: 1 };\n'), undefined);
  assert.equal(insertBefore("server.tool('t2'", 'export const a = "x";\n'), undefined);
  assert.equal(insertBefore("server.tool('t2'", 'function f() {}\n'), undefined);
  // A line inside a handler belongs to the registration's unit.
  assert.equal(insertBefore('  const t = await readFile(p);', '  const leaked = "x";\n'), undefined);
  // A literal typed on the line of a call shares its line, hence its region, with the call.
  const i = BASE.indexOf("const server = new McpServer({ name: 'x', version: '1' });") + 58;
  assert.equal(inertEditOf(version(BASE), version(BASE.slice(0, i) + ' const q = 1;' + BASE.slice(i))), undefined);
});

test('Python: assignments of literals and comments are inert, f-strings and annotated names are not', () => {
  const py =
    'from mcp.server.fastmcp import FastMCP\nmcp = FastMCP("x")\n\n@mcp.tool()\ndef t(p: str) -> str:\n    """Reads."""\n    return open(p).read()\n';
  assert.ok(insertBefore('@mcp.tool()', 'TOKEN = "ghp_abcdefghijkmnopqrstuvwxyzABCDEFGHJK"\n', py, 'python'));
  assert.ok(insertBefore('@mcp.tool()', '# mcp-sentinel-ignore-file secret-github-pat: fixture\n', py, 'python'));
  assert.equal(insertBefore('@mcp.tool()', 'TOKEN = f"{p}"\n', py, 'python'), undefined);
  assert.equal(insertBefore('@mcp.tool()', 'TOKEN: str = "x"\n', py, 'python'), undefined);
  assert.equal(insertBefore('@mcp.tool()', 'mcp2 = mcp\n', py, 'python'), undefined);
});

test('results after the region move by its characters and lines; results touching it do not move', () => {
  const edit: InertEdit = { start: 100, oldEnd: 120, newEnd: 130, startLine: 5, oldEndLine: 6, lineDelta: 2 };
  const moved = moveFindings(
    edit,
    [
      {
        start: 10,
        end: 20,
        message: 'before',
        related: [
          { start: 130, end: 140, message: 'after' },
          { file: 'a.ts', line: 9, character: 1, message: 'this file' },
          { file: 'b.ts', line: 9, character: 1, message: 'other file' },
        ],
        fix: { title: 'fix', edits: [{ start: 120, end: 120, newText: 'x' }] },
      },
      { start: 90, end: 100, message: 'ends where the region starts' },
    ],
    'a.ts',
  );
  assert.deepEqual(moved, [
    {
      start: 10,
      end: 20,
      message: 'before',
      related: [
        { start: 140, end: 150, message: 'after' },
        { file: 'a.ts', line: 11, character: 1, message: 'this file' },
        { file: 'b.ts', line: 9, character: 1, message: 'other file' },
      ],
      fix: { title: 'fix', edits: [{ start: 130, end: 130, newText: 'x' }] },
    },
    { start: 90, end: 100, message: 'ends where the region starts' },
  ]);
  assert.equal(moveFindings(edit, [{ start: 110, end: 125, message: 'inside' }], 'a.ts'), undefined);
  assert.equal(moveFindings(edit, [{ start: 90, end: 130, message: 'across' }], 'a.ts'), undefined);
  const facts = {
    tools: ['t'],
    servers: [],
    summary: {
      lang: 'js' as const,
      imports: [],
      exports: [],
      classes: [],
      maps: [],
      instances: [],
      functions: [{ id: 'f', params: [], line: 3 }],
      calls: [],
      tools: [{ name: 't', server: 'x', line: 7, character: 2 }],
    },
  };
  const out = moveFacts(edit, facts)!.facts!;
  assert.equal(out.summary!.functions[0]!.line, 3);
  assert.equal(out.summary!.tools![0]!.line, 9);
  assert.equal(facts.summary.tools[0]!.line, 7, 'the kept facts are not changed');
  assert.equal(moveFacts({ ...edit, oldEndLine: 8 }, facts), undefined);
});
