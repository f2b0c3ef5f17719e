// Source-analysis latency benchmark: the cost of scanning one large MCP server file with every rule, printed as a
// ratio against parsing the same file in the same process (parsing is the floor no rule can go below), so the
// figure compares across machines. The editor's acceptance bar is an edit reported within debounce + 100 ms on a
// 5,000-line file. Run with `node test/bench/bench.mjs analysis`. No assertions: this is a measurement.
import { performance } from 'node:perf_hooks';
import { initParsers, parse, type Grammar } from '../../server/analysis/parse';
import { Engine } from '../../server/engine/engine';
import { scanText } from '../unit/helpers';
import { builtinRules } from '../../server/rules';

/** How many lines each synthetic document has. */
const LINES = 5000;
/** Runs per measurement; the best is reported (the least disturbed run on a shared machine). */
const RUNS = 7;

/** A synthetic document: a server file written the way real MCP servers are. */
export interface SyntheticDoc {
  /** Short label for the report. */
  label: string;
  /** Path the document is scanned as (decides the grammar and the rules). */
  path: string;
  /** The grammar it parses with. */
  grammar: Grammar;
  /** The source text. */
  text: string;
}

/** Repeats blocks after a header until the text has `LINES` lines. */
function build(header: string, block: (i: number) => string): string {
  let text = header;
  let lines = text.split('\n').length;
  for (let i = 0; lines < LINES; i++) {
    const b = block(i);
    text += b;
    lines += b.split('\n').length - 1;
  }
  return text;
}

const TS_HEADER =
  'import { McpServer } from "@modelcontextprotocol/sdk/server/mcp.js";\nimport { z } from "zod";\nconst server = new McpServer({ name: "bench", version: "1.0.0" });\n';
const tsTool = (i: number) =>
  `server.tool("tool_${i}", "Reads item ${i} from the store", { id: z.string().describe("Item id") }, async ({ id }) => {\n` +
  '  const row = await db.query("SELECT * FROM items WHERE id = $1", [id]);\n' +
  '  return { content: [{ type: "text", text: JSON.stringify(row) }] };\n});\n\n';
const tsHelper = (i: number) =>
  `export function helper${i}(items: string[]): number {\n  let total = 0;\n  for (const it of items) total += it.length * ${i};\n  return total;\n}\n\n`;

// A command built in a local before the call: every handler binds the same name, which name resolution must
// not turn into a quadratic walk.
const tsLocal = (i: number) =>
  `server.tool("run_${i}", "Runs job ${i}", { job: z.string() }, async ({ job }) => {\n` +
  `  const cmd = \`./jobs/${i}.sh \` + "--fixed";\n  exec(cmd);\n  return { content: [{ type: "text", text: "ok" }] };\n});\n\n`;
// One low-level CallTool dispatcher whose cases each check a path before reading it: every guard comes before
// every later sink of the same handler.
const TS_DISPATCH_HEADER =
  'import { Server } from "@modelcontextprotocol/sdk/server/index.js";\nimport { CallToolRequestSchema } from "@modelcontextprotocol/sdk/types.js";\n' +
  'import * as fs from "node:fs/promises";\nconst server = new Server({ name: "bench", version: "1.0.0" }, { capabilities: { tools: {} } });\n' +
  'server.setRequestHandler(CallToolRequestSchema, async (request) => {\n  const args = request.params.arguments as Record<string, string>;\n  switch (request.params.name) {\n';
const tsCase = (i: number) =>
  `    case "read_${i}": {\n      if (!args.p${i}.startsWith("/srv/data/")) throw new Error("outside");\n` +
  `      return { content: [{ type: "text", text: await fs.readFile(args.p${i}, "utf8") }] };\n    }\n`;

const PY_HEADER = 'import json\nfrom mcp.server.fastmcp import FastMCP\n\nmcp = FastMCP("bench")\n\n';
const pyTool = (i: number) =>
  `@mcp.tool()\nasync def tool_${i}(id: str) -> str:\n    """Reads item ${i} from the store"""\n` +
  '    row = conn.execute("SELECT * FROM items WHERE id = ?", (id,)).fetchone()\n    return json.dumps(row)\n\n\n';
const PY_DISPATCH_HEADER =
  'from mcp.server import Server\n\nserver = Server("bench")\n\n\n@server.call_tool()\nasync def handle(name, arguments):\n';
const pyCase = (i: number) =>
  `    if name == "read_${i}":\n        p = arguments["p${i}"]\n        if not p.startswith("/srv/data/"):\n            raise ValueError("outside")\n        return [open(p).read()]\n`;
const pyHelper = (i: number) =>
  `def helper_${i}(items: list[str]) -> int:\n    total = 0\n    for it in items:\n        total += len(it) * ${i}\n    return total\n\n\n`;

/**
 * The synthetic documents: `helpers` mostly plain functions with a tool every tenth block, `tools` nothing but tool
 * handlers running parameterised SQL (the worst case for the MCP and taint analyses, and silent by design), and
 * two shapes that once made an analysis quadratic: `locals` (every handler binds `cmd`) and `dispatch` (one
 * CallTool handler with a guarded case per tool). The dispatcher cases are findings-free too (each path is checked).
 */
export function syntheticDocs(): SyntheticDoc[] {
  return [
    {
      label: 'ts helpers',
      path: 'bench.ts',
      grammar: 'typescript',
      text: build(TS_HEADER, (i) => (i % 10 === 0 ? tsTool(i) : tsHelper(i))),
    },
    { label: 'ts tools', path: 'bench.ts', grammar: 'typescript', text: build(TS_HEADER, tsTool) },
    {
      label: 'ts locals',
      path: 'bench.ts',
      grammar: 'typescript',
      text: build(
        TS_HEADER.replace(
          'import { z } from "zod";\n',
          'import { z } from "zod";\nimport { exec } from "node:child_process";\n',
        ),
        tsLocal,
      ),
    },
    {
      label: 'ts dispatch',
      path: 'bench.ts',
      grammar: 'typescript',
      text: build(TS_DISPATCH_HEADER, tsCase) + '    default:\n      throw new Error("unknown tool");\n  }\n});\n',
    },
    {
      label: 'py helpers',
      path: 'bench.py',
      grammar: 'python',
      text: build(PY_HEADER, (i) => (i % 10 === 0 ? pyTool(i) : pyHelper(i))),
    },
    { label: 'py tools', path: 'bench.py', grammar: 'python', text: build(PY_HEADER, pyTool) },
    { label: 'py dispatch', path: 'bench.py', grammar: 'python', text: build(PY_DISPATCH_HEADER, pyCase) },
  ];
}

/** Best of `n` timed runs of `f`, after one warm-up run. */
function bestOf(n: number, f: () => void): number {
  f();
  let best = Infinity;
  for (let i = 0; i < n; i++) {
    const t0 = performance.now();
    f();
    best = Math.min(best, performance.now() - t0);
  }
  return best;
}

async function main(): Promise<void> {
  await initParsers();
  const engine = new Engine(builtinRules);
  console.log(`regex backend: ${engine.backend.name}, best of ${RUNS}`);
  for (const doc of syntheticDocs()) {
    // Parse-only reference: the tree is freed at once, as the engine does after a scan.
    const parseMs = bestOf(RUNS, () => parse(doc.text, doc.grammar).delete());
    let findings = 0;
    const allMs = bestOf(RUNS, () => {
      findings = scanText(engine, doc.path, doc.text).findings.length;
    });
    const lines = doc.text.split('\n').length;
    console.log(
      `${doc.label.padEnd(11)} ${lines} lines ${String(doc.text.length).padStart(7)} chars: all rules = ${(allMs / parseMs).toFixed(1)} × parse` +
        ` (${allMs.toFixed(0)} ms vs ${parseMs.toFixed(0)} ms), ${findings} findings`,
    );
  }
}

// Runs only as the bundled benchmark entry point, so other tools can import the synthetic documents.
if (process.argv[1]?.endsWith('analysis.bench.js')) {
  main().catch((e: unknown) => {
    console.error(e);
    process.exit(1);
  });
}
