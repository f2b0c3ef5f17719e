// Engine throughput benchmark. Figures are printed as ratios against a reference run in the same process
// (the JS RegExp backend scanning the same documents), so they compare across machines; absolute MB/s are shown
// for orientation only. Run with `npm run bench`.
import { readdirSync, readFileSync, statSync } from 'node:fs';
import { join, relative } from 'node:path';
import { performance } from 'node:perf_hooks';
import { initParsers } from '../../server/analysis/parse';
import { Engine } from '../../server/engine/engine';
import { scanText } from '../unit/helpers';
import { classifyPath } from '../../server/core/fileKinds';
import { createBackend } from '../../server/core/regex';
import { builtinRules } from '../../server/rules';

interface Doc {
  file: string;
  text: string;
}

const SKIP = new Set(['node_modules', '.git', 'dist', 'out', '.e2e']);

function collect(dir: string, root: string, out: Doc[]): void {
  for (const name of readdirSync(dir)) {
    if (SKIP.has(name)) continue;
    const p = join(dir, name);
    const st = statSync(p);
    if (st.isDirectory()) collect(p, root, out);
    else if (st.size < 2_000_000 && classifyPath(p))
      out.push({ file: relative(root, p).replace(/\\/g, '/'), text: readFileSync(p, 'utf8') });
  }
}

function scanAll(engine: Engine, docs: Doc[]): { ms: number; findings: number } {
  const t0 = performance.now();
  let findings = 0;
  for (const d of docs) findings += scanText(engine, d.file, d.text).findings.length;
  return { ms: performance.now() - t0, findings };
}

/** Best of `n` runs, after one warm-up: the least disturbed measurement on a shared machine. */
function best(engine: Engine, docs: Doc[], n = 5): { ms: number; findings: number } {
  scanAll(engine, docs);
  let b = scanAll(engine, docs);
  for (let i = 1; i < n; i++) {
    const r = scanAll(engine, docs);
    if (r.ms < b.ms) b = r;
  }
  return b;
}

async function main(): Promise<void> {
  await initParsers();
  const root = process.cwd();
  const docs: Doc[] = [];
  for (const dir of ['.cache/corpus', 'examples', 'server', 'test/fixtures']) {
    try {
      collect(join(root, dir), root, docs);
    } catch {
      // A missing folder (no corpus fetched yet) just means a smaller sample.
    }
  }
  const bytes = docs.reduce((n, d) => n + Buffer.byteLength(d.text), 0);
  console.log(`documents: ${docs.length}, ${(bytes / 1e6).toFixed(2)} MB, rules: ${builtinRules.length}`);

  const js = new Engine(builtinRules, {}, createBackend('js'));
  const ref = best(js, docs);
  const mbps = (ms: number) => (bytes / 1e6 / (ms / 1000)).toFixed(1);
  console.log(
    `reference  js backend          ${ref.ms.toFixed(0)} ms  ${mbps(ref.ms)} MB/s  ${ref.findings} findings  ratio 1.00`,
  );

  let re2: Engine | undefined;
  try {
    re2 = new Engine(builtinRules, {}, createBackend('re2'));
  } catch (e) {
    console.log(`re2 backend unavailable: ${e instanceof Error ? e.message : e}`);
  }
  if (re2) {
    const r = best(re2, docs);
    console.log(
      `re2 backend                    ${r.ms.toFixed(0)} ms  ${mbps(r.ms)} MB/s  ${r.findings} findings  ratio ${(ref.ms / r.ms).toFixed(2)} (higher is faster)`,
    );
    if (r.findings !== ref.findings)
      console.log(`WARNING: the backends disagree (${r.findings} vs ${ref.findings} findings)`);
  }

  // The prefilter's worth: the same rules with keywords stripped, so every rule runs on every document of its kind.
  const unfiltered = builtinRules.map((r) => ({ ...r, keywords: [] }));
  const nf = best(new Engine(unfiltered, {}, re2?.backend ?? createBackend('js')), docs, 3);
  console.log(
    `no prefilter (${re2 ? 're2' : 'js'})             ${nf.ms.toFixed(0)} ms  ${mbps(nf.ms)} MB/s  ratio ${(ref.ms / nf.ms).toFixed(2)}`,
  );
}

main().catch((e) => {
  console.error(e);
  process.exit(1);
});
