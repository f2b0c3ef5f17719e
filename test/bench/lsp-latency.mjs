// Measures the editor's edit-to-diagnostics latency on a 5,000-line TypeScript file: after each edit that adds a
// secret, the time until diagnostics for that version (containing the secret finding) arrive. Prints p50/p95/max
// against the budget "debounce + 100 ms". A measurement, not a timed test: run `node scripts/build.mjs` first, then
// `node test/bench/lsp-latency.mjs [runs]`.
import { spawn } from 'node:child_process';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { dirname, join } from 'node:path';
import { createRequire } from 'node:module';

const require = createRequire(import.meta.url);
const rpc = require('vscode-jsonrpc/node');
const repo = join(dirname(fileURLToPath(import.meta.url)), '..', '..');
const runs = Number(process.argv[2] ?? 30);
const debounceMs = 250;

const proc = spawn(process.execPath, [join(repo, 'dist', 'server.js'), '--stdio'], {
  stdio: ['pipe', 'pipe', 'inherit'],
});
const conn = rpc.createMessageConnection(
  new rpc.StreamMessageReader(proc.stdout),
  new rpc.StreamMessageWriter(proc.stdin),
);
const waiters = [];
conn.onNotification('textDocument/publishDiagnostics', (p) => {
  for (const w of [...waiters]) if (w.pred(p)) waiters.splice(waiters.indexOf(w), 1) && w.resolve(p);
});
let backend = '?';
conn.onNotification(
  'mcpSentinel/serverStatus',
  (s) => (backend = `${s.backend}, ${s.workers} worker(s), ${s.runtime}`),
);
conn.onRequest('workspace/configuration', (p) => p.items.map(() => ({ debounceMs })));
conn.listen();
const next = (pred) => new Promise((resolve) => waiters.push({ pred, resolve }));

const root = join(repo, 'test', 'fixtures', 'lsp', 'done');
await conn.sendRequest('initialize', {
  processId: process.pid,
  rootUri: pathToFileURL(root).href,
  workspaceFolders: [{ uri: pathToFileURL(root).href, name: 'bench' }],
  capabilities: { workspace: { configuration: true } },
});
await conn.sendNotification('initialized', {});

// A realistic 5,000-line MCP server: many tool handlers with ordinary code.
const toolBlock = (i) =>
  `server.tool('tool_${i}', 'Returns item ${i}.', { id: z.string() }, async ({ id }) => {\n  const row = await db.query('SELECT * FROM items WHERE id = $1', [id]);\n  return { content: [{ type: 'text', text: JSON.stringify(row) }] };\n});\n\n`;
// Mostly ordinary helper code with a tool every 50 blocks, like a large real server.
const helper = (i) =>
  `export function helper${i}(items: string[]): number {\n  let total = 0;\n  for (const it of items) total += it.length * ${i};\n  return total;\n}\n\n`;
const block = (i) => (i % 50 === 0 ? toolBlock(i) : helper(i));
let text =
  "import { McpServer } from '@modelcontextprotocol/sdk/server/mcp.js';\nimport { z } from 'zod';\nconst server = new McpServer({ name: 'bench', version: '1.0.0' });\nconst db = { query: async (_q: string, _p: unknown[]) => ({}) };\n";
for (let i = 0; text.split('\n').length < 5000; i++) text += block(i);
const lines = text.split('\n').length;
const uri = pathToFileURL(join(root, 'bench-5000.ts')).href;
let version = 1;
const first = next((p) => p.uri === uri && p.version === 1);
await conn.sendNotification('textDocument/didOpen', { textDocument: { uri, languageId: 'typescript', version, text } });
await first;

const samples = [];
for (let r = 0; r < runs; r++) {
  version++;
  // Insert a line with a fresh secret in the middle of the file (an incremental edit).
  const secret =
    'ghp_' +
    Array.from(
      { length: 36 },
      (_, k) => 'abcdefghijkmnopqrstuvwxyzABCDEFGHJKLMNPQRSTUVWXYZ23456789'[(r * 7 + k * 13) % 57],
    ).join('');
  const line = Math.floor(lines / 2) + r;
  const want = version;
  const done = next(
    (p) =>
      p.uri === uri &&
      p.version === want &&
      p.diagnostics.some((d) => String(d.code).startsWith('secret-') && d.range.start.line === line),
  );
  const t0 = performance.now();
  await conn.sendNotification('textDocument/didChange', {
    textDocument: { uri, version },
    contentChanges: [
      {
        range: { start: { line, character: 0 }, end: { line, character: 0 } },
        text: `const leaked${r} = "${secret}";\n`,
      },
    ],
  });
  await done;
  samples.push(performance.now() - t0);
}
samples.sort((a, b) => a - b);
const pct = (q) => samples[Math.min(samples.length - 1, Math.ceil(q * samples.length) - 1)];
const budget = debounceMs + 100;
console.log(`file: ${lines} lines; backend: ${backend}; runs: ${runs}; debounce: ${debounceMs} ms`);
console.log(
  `edit → diagnostics: p50 ${pct(0.5).toFixed(1)} ms, p95 ${pct(0.95).toFixed(1)} ms, max ${samples.at(-1).toFixed(1)} ms; budget ${budget} ms: ${pct(0.95) <= budget ? 'within' : 'OVER'}`,
);
await conn.sendRequest('shutdown');
await conn.sendNotification('exit');
conn.dispose();
