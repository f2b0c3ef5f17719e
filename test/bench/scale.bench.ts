// The 100k-file benchmark: `mcp-sentinel scan` (dist/cli.js, a process) of a tree of about 100,000 files, made once
// under the temporary folder by bigTree.ts (hard-linked copies of Node's global packages and the Python standard
// library, topped up with generated files) and reused, printed beside its references:
// - peak RSS (from /usr/bin/time) against the 256 MB target, with the scan's own attribution (`--verbose`'s memory
//   line: main thread heap, each worker's heap and tree-sitter memory, workers recycled);
// - wall time against `files ÷ (single-file rate × workers)`, the single-worker rate measured in the same run on one
//   copy of the sources (target: within 2×).
// MCP_SENTINEL_BENCH_100K=<count> changes the size; MCP_SENTINEL_BENCH_100K=0 skips it (it takes minutes).
import { spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, readdirSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { performance } from 'node:perf_hooks';
import { bigTree } from './bigTree';

/** A process run: wall time, peak RSS when /usr/bin/time is there, and its stderr. */
function timed(args: readonly string[]): { ms: number; rssMB?: number; status: number | null; stderr: string } {
  const withTime = existsSync('/usr/bin/time');
  const cmd = withTime ? '/usr/bin/time' : process.execPath;
  const argv = withTime ? ['-f', 'maxrss-kb=%M', process.execPath, ...args] : [...args];
  const t0 = performance.now();
  const r = spawnSync(cmd, argv, { encoding: 'utf8', maxBuffer: 1 << 28 });
  const ms = performance.now() - t0;
  const rss = /maxrss-kb=(\d+)\s*$/.exec(r.stderr ?? '');
  return { ms, status: r.status, stderr: r.stderr ?? '', ...(rss ? { rssMB: Number(rss[1]) / 1024 } : {}) };
}

/** The number `--verbose` printed after `label:` (files scanned, workers). */
function verboseNumber(stderr: string, label: string): number {
  const m = new RegExp(`${label}: (\\d+)`).exec(stderr);
  return m ? Number(m[1]) : NaN;
}

function main(): void {
  const target = Number(process.env.MCP_SENTINEL_BENCH_100K ?? 100_000);
  if (!target) return console.log('100k tree: skipped (MCP_SENTINEL_BENCH_100K=0)');
  const cli = join(process.cwd(), 'dist/cli.js');
  if (!existsSync(cli)) return console.log('100k tree: dist/cli.js is missing (npm run build)');
  const python = readdirSync('/usr/lib')
    .filter((d) => /^python3\.\d+$/.test(d))
    .map((d) => join('/usr/lib', d));
  const sources = ['/usr/lib/node_modules', ...python].filter((p) => existsSync(p));
  if (!sources.length) return console.log('100k tree: no source tree found under /usr/lib');
  const tree = bigTree(join(tmpdir(), `mcp-sentinel-bench-${target}`), sources, target);
  const out = mkdtempSync(join(tmpdir(), 'mcp-sentinel-bench-scale-'));
  try {
    const scan = (paths: string[], extra: string[] = []) =>
      timed(
        [
          cli,
          'scan',
          ...paths,
          '--no-cache',
          '--format',
          'json',
          '-o',
          join(out, 'r.json'),
          '--fail-on',
          'none',
        ].concat(['--verbose', ...extra]),
      );
    // The single-worker rate, on one copy of the sources (the same mix of files, a thirtieth of the count).
    const sample = readdirSync(tree.dir).filter((d) => d.startsWith('copy'))[0];
    const one = sample ? scan([join(tree.dir, sample)], ['--workers', '1']) : undefined;
    const big = scan([tree.dir]);
    if (big.status !== 0 || (one && one.status !== 0))
      return console.log(`100k tree: the scan failed: ${big.stderr.split('\n').slice(-3).join(' ')}`);
    const files = verboseNumber(big.stderr, 'files scanned');
    const workers = verboseNumber(big.stderr, 'workers') || 1;
    console.log(`100k tree: ${tree.dir}: ${tree.files} files${tree.built ? ' (built now)' : ''}, ${files} scanned`);
    // Where the memory went, as `--verbose` attributes it (main thread heap, each worker's heap and tree-sitter memory).
    const memory = /^memory: .*$/m.exec(big.stderr);
    if (memory) console.log(memory[0]);
    const mb = (n?: number) => (n === undefined ? 'n/a (no /usr/bin/time)' : `${n.toFixed(0)} MB`);
    console.log(`${'peak RSS'.padEnd(22)} ${mb(big.rssMB).padStart(8)}  reference: target ≤ 256 MB`);
    if (one) {
      const rate = (verboseNumber(one.stderr, 'files scanned') * 1000) / one.ms;
      const reference = (files / (rate * workers)) * 1000;
      console.log(
        `${'wall time'.padEnd(22)} ${(big.ms / 1000).toFixed(1).padStart(6)} s  reference: files ÷ (${rate.toFixed(0)} files/s × ` +
          `${workers} workers) = ${(reference / 1000).toFixed(1)} s, ratio ${(big.ms / reference).toFixed(2)}× (target ≤ 2×)`,
      );
    }
  } finally {
    rmSync(out, { recursive: true, force: true });
  }
}

main();
