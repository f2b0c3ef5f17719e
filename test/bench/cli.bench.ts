// CLI benchmarks, each printed as a ratio against a reference measured in the same run, so the figures compare
// across machines:
// - `runScan` (the worker pool, as `mcp-sentinel scan` runs it) over the benign corpus with one worker and with one
//   per core, against a parse-only pass over the same files (and the speed-up of the pool). Needs the corpus (`npm run corpus`) and dist/worker.js (`npm run bench`
//   builds it). Both runs scan with a generous per-file budget, so that a large file pushed over the default budget
//   by a loaded machine cannot make one run do less work than the other; the skipped counts are printed all the same.
// - `mcp-sentinel scan` (dist/cli.js, a process) of a real tree, cold (an empty cache folder) and warm (the same
//   folder again, nothing changed), against ripgrep running the ~100 security regexes of rg-security-patterns.txt
//   over the same files (skipped with a message when `rg` is not installed: `apt-get install ripgrep`), with the peak
//   RSS of each process when /usr/bin/time is there. The tree is MCP_SENTINEL_BENCH_TREE (paths separated by the
//   platform's delimiter), else Node's global packages and the Python standard library, as the issue measured.
// - `mcp-sentinel --version` against `node -e ''` (the floor any Node CLI pays), 20 runs each.
import { spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { availableParallelism, tmpdir } from 'node:os';
import { delimiter, join } from 'node:path';
import { performance } from 'node:perf_hooks';
import { grammarFor, initParsers, parse } from '../../server/analysis/parse';
import { runScan } from '../../server/cli/scan';
import { DEFAULT_SKIP_DIRS, discover, scanRoot } from '../../server/discovery/discover';
import { readDiscovered } from '../../server/discovery/read';
import { discoveryOptionsOf, scanLimits } from '../../server/engine/limits';

async function main(): Promise<void> {
  await corpusWorkers();
  realTree();
  versionStartup();
}

/** Wall and CPU milliseconds of `fn` (CPU of this process and its worker threads). */
async function measured<T>(fn: () => Promise<T> | T): Promise<{ ms: number; cpu: number; value: T }> {
  const c0 = process.cpuUsage();
  const t0 = performance.now();
  const value = await fn();
  const c = process.cpuUsage(c0);
  return { ms: performance.now() - t0, cpu: (c.user + c.system) / 1000, value };
}

/**
 * The benign corpus (both folders the corpus test scans, .cache/corpus and .cache/corpus-more) with one worker and
 * with one per core, against a parse-only pass over the same files measured in the same run (every discovered file
 * read and each JS/TS/Python one parsed with tree-sitter on this thread: the floor no scan of these files can go
 * below). CPU time is printed beside wall time: on a shared machine it moves less with the load.
 */
async function corpusWorkers(): Promise<void> {
  const folders = ['.cache/corpus', '.cache/corpus-more'].map((f) => join(process.cwd(), f)).filter(existsSync);
  if (folders.length === 0) {
    console.log('corpus not fetched (npm run corpus): no CLI scan figures');
    return;
  }
  // Published packages keep their code in dist/ or build/, which the default discovery skips: walk what npm ships,
  // as test/corpus does.
  const discovery = { skipDirs: DEFAULT_SKIP_DIRS.filter((d) => d !== 'dist' && d !== 'build'), gitignore: false };
  const many = Math.max(2, availableParallelism());
  const scan = (workers: number) => measured(() => runScan({ paths: folders, discovery, workers, timeoutMs: 600_000 }));

  await initParsers();
  const parsed = await measured(() => {
    let n = 0;
    for (const folder of folders)
      for (const f of discover(folder, [folder], discovery).files) {
        const read = readDiscovered(f);
        const grammar = read.ok ? grammarFor(f.file) : undefined;
        if (!read.ok || !grammar) continue;
        parse(read.text, grammar).delete();
        n++;
      }
    return n;
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
      `facts pass ${o.timings.facts.toFixed(0)} ms  × parse ${(r.ms / parsed.ms).toFixed(2)} (cpu ${(r.cpu / parsed.cpu).toFixed(2)})`
    );
  };
  console.log(`${line('cli scan   1 worker', one)} (lower is faster)`);
  console.log(`${line(`cli scan   ${n.value.workers} workers`, n)}  speed-up ${(one.ms / n.ms).toFixed(2)}`);
  if (n.value.report.findings.length !== one.value.report.findings.length)
    console.log('WARNING: the worker counts disagree on the findings');
}

/** A process run: wall time, peak RSS (when /usr/bin/time is there) and its output. */
interface Timed {
  ms: number;
  rssKB?: number;
  status: number | null;
  stdout: string;
  stderr: string;
}

const TIME = '/usr/bin/time';

/** Runs a command, with its peak RSS measured by /usr/bin/time when it is installed. */
function timed(cmd: string, args: readonly string[]): Timed {
  const withTime = existsSync(TIME);
  const t0 = performance.now();
  const r = withTime
    ? spawnSync(TIME, ['-f', 'maxrss-kb=%M', cmd, ...args], { encoding: 'utf8', maxBuffer: 1 << 30 })
    : spawnSync(cmd, args, { encoding: 'utf8', maxBuffer: 1 << 30 });
  const ms = performance.now() - t0;
  const rss = /maxrss-kb=(\d+)\s*$/.exec(r.stderr ?? '');
  return {
    ms,
    status: r.status,
    stdout: r.stdout ?? '',
    stderr: (r.stderr ?? '').replace(/maxrss-kb=\d+\s*$/, ''),
    ...(rss ? { rssKB: Number(rss[1]) } : {}),
  };
}

/** The tree of the cold/warm figures: MCP_SENTINEL_BENCH_TREE, else /usr/lib/node_modules and /usr/lib/python3.*. */
function benchTree(): string[] {
  const given = process.env.MCP_SENTINEL_BENCH_TREE;
  if (given) return given.split(delimiter).filter(Boolean);
  const python = existsSync('/usr/lib')
    ? readdirSync('/usr/lib')
        .filter((d) => /^python3\.\d+$/.test(d))
        .map((d) => join('/usr/lib', d))
    : [];
  return ['/usr/lib/node_modules', ...python].filter((p) => existsSync(p));
}

/** Whether ripgrep runs here. */
function hasRipgrep(): boolean {
  const r = spawnSync('rg', ['--version'], { encoding: 'utf8' });
  return r.status === 0;
}

/** Cold and warm scans of a real tree by dist/cli.js, against ripgrep over the same files. */
function realTree(): void {
  const paths = benchTree();
  const cli = join(process.cwd(), 'dist/cli.js');
  if (!paths.length) return console.log('\nreal tree: none found (set MCP_SENTINEL_BENCH_TREE): no cold/warm figures');
  if (!existsSync(cli)) return console.log('\nreal tree: dist/cli.js is missing (npm run build)');
  // The files the CLI scans, found by the same discovery with the same defaults, so ripgrep reads the same bytes.
  const root = scanRoot(paths, process.cwd());
  const files = discover(root, paths, discoveryOptionsOf({}, scanLimits({}))).files.map((f) => f.path);
  const cache = mkdtempSync(join(tmpdir(), 'mcp-sentinel-bench-cache-'));
  const out = join(cache, 'report.json');
  try {
    const args = ['scan', ...paths, '--format', 'json', '--output', out, '--fail-on', 'none', '--cache-dir', cache];
    const cold = timed(process.execPath, [cli, ...args]);
    const warm = timed(process.execPath, [cli, ...args, '--verbose']);
    if (cold.status !== 0 || warm.status !== 0) {
      console.log(`real tree: the scan failed: ${cold.stderr}${warm.stderr}`);
      return;
    }
    const rss = (t: Timed) => (t.rssKB ? `  peak RSS ${Math.round(t.rssKB / 1024)} MB` : '');
    const hits = /^cache: .*$/m.exec(warm.stderr)?.[0] ?? '';
    console.log(`\nreal tree: ${paths.join(', ')}: ${files.length} files`);
    let rg: Timed | undefined;
    if (!hasRipgrep()) console.log('ripgrep (rg) is not installed: no ratio to it (apt-get install ripgrep)');
    else {
      const patterns = join(process.cwd(), 'test/bench/rg-security-patterns.txt');
      rg = timed('rg', ['--no-config', '-c', '--no-ignore', '--hidden', '-f', patterns, '--', ...files]);
      // rg exits 1 when nothing matched, 2 on an error.
      if (rg.status === 2) console.log(`rg failed: ${rg.stderr.split('\n')[0]}`);
      const n = readLines(patterns);
      console.log(`${'reference  rg'.padEnd(22)} ${rg.ms.toFixed(0).padStart(6)} ms  ${n} security regexes${rss(rg)}`);
    }
    const line = (label: string, t: Timed, target: number) =>
      `${label.padEnd(22)} ${t.ms.toFixed(0).padStart(6)} ms` +
      (rg ? `  ratio to rg ${(t.ms / rg.ms).toFixed(1)}× (target ≤ ${target}×)` : '') +
      rss(t);
    console.log(line('cli scan   cold', cold, 4));
    console.log(line('cli scan   warm', warm, 1.5) + (hits ? `  (${hits})` : ''));
  } finally {
    rmSync(cache, { recursive: true, force: true });
  }
}

function readLines(file: string): number {
  return readFileSync(file, 'utf8')
    .split('\n')
    .filter((l: string) => l.trim()).length;
}

/** `mcp-sentinel --version` against an empty Node process, 20 runs each, interleaved. */
function versionStartup(): void {
  const cli = join(process.cwd(), 'dist/cli.js');
  if (!existsSync(cli)) return;
  const runs = 20;
  let node = 0;
  let version = 0;
  for (let i = 0; i < runs; i++) {
    node += timed(process.execPath, ['-e', '']).ms;
    version += timed(process.execPath, [cli, '--version']).ms;
  }
  console.log(
    `\n${'reference  node -e ""'.padEnd(22)} ${(node / runs).toFixed(0).padStart(6)} ms (mean of ${runs})\n` +
      `${'cli --version'.padEnd(22)} ${(version / runs).toFixed(0).padStart(6)} ms  ` +
      `${((version - node) / runs).toFixed(0)} ms over Node's own start (target: ≤ 60 ms in all)`,
  );
}

main().catch((e) => {
  console.error(e);
  process.exit(1);
});
