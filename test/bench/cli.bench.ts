// CLI scan benchmark: `runScan` (the worker pool, as `mcp-sentinel scan` runs it) over the benign corpus (both
// folders the corpus test scans, .cache/corpus and .cache/corpus-more) with one worker and with one per core. Two
// references are measured in the same process, so the figures compare across machines: a parse-only pass (read
// every discovered file and parse each JS/TS/Python one with tree-sitter, on this thread: the floor no scan of the
// same files can go below) and the one-worker scan (for the speed-up of the pool). Needs the corpus
// (`npm run corpus`) and dist/worker.js (`npm run bench` builds it). Both scans run with a generous per-file budget,
// so that a large file pushed over the default budget by a loaded machine cannot make one run do less work than the
// other; the skipped counts are printed all the same. CPU time (this process and its worker threads) is printed
// beside the wall time: on a shared machine it moves less with the load.
import { existsSync } from 'node:fs';
import { availableParallelism } from 'node:os';
import { join } from 'node:path';
import { performance } from 'node:perf_hooks';
import { grammarFor, initParsers, parse } from '../../server/analysis/parse';
import { runScan } from '../../server/cli/scan';
import { DEFAULT_SKIP_DIRS, discover } from '../../server/discovery/discover';
import { readDiscovered } from '../../server/discovery/read';

/** Wall and CPU milliseconds of `fn`. */
async function timed<T>(fn: () => Promise<T> | T): Promise<{ ms: number; cpu: number; value: T }> {
  const c0 = process.cpuUsage();
  const t0 = performance.now();
  const value = await fn();
  const c = process.cpuUsage(c0);
  return { ms: performance.now() - t0, cpu: (c.user + c.system) / 1000, value };
}

async function main(): Promise<void> {
  const folders = ['.cache/corpus', '.cache/corpus-more'].map((f) => join(process.cwd(), f)).filter(existsSync);
  if (folders.length === 0) {
    console.log('corpus not fetched (npm run corpus): no CLI scan figures');
    return;
  }
  // Published packages keep their code in dist/ or build/, which the default discovery skips: walk what npm ships,
  // as test/corpus does.
  const discovery = { skipDirs: DEFAULT_SKIP_DIRS.filter((d) => d !== 'dist' && d !== 'build'), gitignore: false };
  const many = Math.max(2, availableParallelism());
  const scan = (workers: number) => timed(() => runScan({ paths: folders, discovery, workers, timeoutMs: 600_000 }));

  // The floor: the same files read and parsed once each, nothing else.
  await initParsers();
  const parsed = await timed(() => {
    let files = 0;
    for (const folder of folders) {
      for (const f of discover(folder, [folder], discovery).files) {
        const read = readDiscovered(f);
        const grammar = read.ok ? grammarFor(f.file) : undefined;
        if (!read.ok || !grammar) continue;
        parse(read.text, grammar).delete();
        files++;
      }
    }
    return files;
  });
  // Each run starts its own pool, as every CLI invocation does, so the start-up of the workers is included.
  const one = await scan(1);
  const n = await scan(many);
  const s = one.value.report.stats;
  console.log(
    `corpus: ${s.filesScanned} files scanned (${parsed.value} parsed by the reference), ${s.rules} rules, ` +
      `backend ${s.regexBackend}, ${availableParallelism()} cores`,
  );
  const time = (r: { ms: number; cpu: number }) =>
    `${r.ms.toFixed(0).padStart(6)} ms (cpu ${r.cpu.toFixed(0).padStart(6)} ms)`;
  console.log(`${'reference  parse only'.padEnd(24)} ${time(parsed)}`);
  const line = (label: string, r: typeof one) => {
    const o = r.value;
    return (
      `${label.padEnd(24)} ${time(r)}  ${Math.round((o.report.stats.filesScanned * 1000) / r.ms)} files/s  ` +
      `${o.report.findings.length} findings  ${o.report.stats.filesSkipped} skipped  ` +
      `facts+first pass ${o.timings.facts.toFixed(0)} ms  ` +
      `× parse ${(r.ms / parsed.ms).toFixed(2)} (cpu ${(r.cpu / parsed.cpu).toFixed(2)})`
    );
  };
  console.log(`${line('cli scan   1 worker', one)} (lower is faster)`);
  console.log(`${line(`cli scan   ${n.value.workers} workers`, n)}  speed-up ${(one.ms / n.ms).toFixed(2)}`);
  if (n.value.report.findings.length !== one.value.report.findings.length)
    console.log('WARNING: the worker counts disagree on the findings');
}

main().catch((e) => {
  console.error(e);
  process.exit(1);
});
