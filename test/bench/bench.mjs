// Runs every benchmark under test/bench/: bundles each *.bench.ts with esbuild into out/bench/ and runs it.
// Benchmarks print ratios against a reference run made in the same process; they are never part of `npm test`.
import * as esbuild from 'esbuild';
import { spawnSync } from 'node:child_process';
import { cpSync, readdirSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = fileURLToPath(new URL('../..', import.meta.url));
const here = join(root, 'test/bench');
const outdir = join(root, 'out/bench');
const only = process.argv[2];
const benches = readdirSync(here).filter((f) => f.endsWith('.bench.ts') && (!only || f.includes(only)));
await esbuild.build({
  entryPoints: benches.map((f) => join(here, f)),
  bundle: true,
  platform: 'node',
  target: 'node20',
  format: 'cjs',
  outdir,
  external: ['re2', 'vscode'],
  // As in scripts/build.mjs: jsonc-parser's UMD entry requires its own files dynamically, which a bundle cannot
  // follow, so take its ESM build (the CLI bench opens projects, which reads config files with it).
  mainFields: ['module', 'main'],
  logLevel: 'warning',
});
for (const f of readdirSync(join(root, 'dist')).filter((f) => f.endsWith('.wasm')))
  cpSync(join(root, 'dist', f), join(outdir, f));
let failed = false;
for (const f of benches) {
  console.log(`\n== ${f}`);
  const r = spawnSync(process.execPath, [join(outdir, f.replace(/\.ts$/, '.js'))], { stdio: 'inherit', cwd: root });
  if (r.status !== 0) failed = true;
}
// The editor's latency benchmark drives dist/server.js over stdio: edit → published diagnostics on a 5,000-line file.
if (!only || 'lsp-latency'.includes(only)) {
  console.log('\n== lsp-latency.mjs');
  const r = spawnSync(process.execPath, [join(here, 'lsp-latency.mjs')], { stdio: 'inherit', cwd: root });
  if (r.status !== 0) failed = true;
}
process.exit(failed ? 1 : 0);
