// CLI scan benchmark: `runScan` (the worker pool, as `mcp-sentinel scan` runs it) over the benign corpus with one
// worker and with one per core, printed as a ratio against the one-worker run made in the same process, so the
// figure compares across machines. Needs the corpus (`npm run corpus`) and dist/worker.js (`npm run bench` builds
// it). Both runs scan with a generous per-file budget, so that a large file pushed over the default budget by a
// loaded machine cannot make one run do less work than the other; the skipped counts are printed all the same.
import { existsSync } from 'node:fs';
import { availableParallelism } from 'node:os';
import { join } from 'node:path';
import { performance } from 'node:perf_hooks';
import { runScan } from '../../server/cli/scan';
import { DEFAULT_SKIP_DIRS } from '../../server/discovery/discover';

async function main(): Promise<void> {
  const corpus = join(process.cwd(), '.cache/corpus');
  if (!existsSync(corpus)) {
    console.log('corpus not fetched (npm run corpus): no CLI scan figures');
    return;
  }
  // Published packages keep their code in dist/ or build/, which the default discovery skips: walk what npm ships,
  // as test/corpus does.
  const discovery = { skipDirs: DEFAULT_SKIP_DIRS.filter((d) => d !== 'dist' && d !== 'build'), gitignore: false };
  const many = Math.max(2, availableParallelism());
  const run = async (workers: number) => {
    const t0 = performance.now();
    const outcome = await runScan({ paths: [corpus], discovery, workers, timeoutMs: 600_000 });
    return { ms: performance.now() - t0, outcome };
  };

  // Each run starts its own pool, as every CLI invocation does, so the start-up of the workers is included.
  const one = await run(1);
  const n = await run(many);
  const s = one.outcome.report.stats;
  console.log(
    `corpus: ${s.filesScanned} files scanned, ${s.rules} rules, backend ${s.regexBackend}, ${availableParallelism()} cores`,
  );
  const line = (label: string, r: typeof one) =>
    `${label.padEnd(22)} ${r.ms.toFixed(0).padStart(6)} ms  ` +
    `${Math.round((r.outcome.report.stats.filesScanned * 1000) / r.ms)} files/s  ` +
    `${r.outcome.report.findings.length} findings  ${r.outcome.report.stats.filesSkipped} skipped  ` +
    `ratio ${(one.ms / r.ms).toFixed(2)}`;
  console.log(`${line('reference  1 worker', one)}`);
  console.log(`${line(`cli scan   ${n.outcome.workers} workers`, n)} (higher is faster)`);
  if (n.outcome.report.findings.length !== one.outcome.report.findings.length)
    console.log('WARNING: the worker counts disagree on the findings');
}

main().catch((e) => {
  console.error(e);
  process.exit(1);
});
