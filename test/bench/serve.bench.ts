// The scan service under load (loopback only, bounded): `mcp-sentinel serve` as a child process, 500 scan requests
// at concurrency 20 over a small fixture tree (the repository's examples/), as a CI fleet sharing one service would
// send them. Prints throughput, p50/p95 latency, the status codes (anything but 200 and the expected 429s is an
// error) and the server process's peak RSS (VmHWM, worker threads included; goal ≤ 512 MB). The service runs as
// deployed: result cache on (a temp folder), 2 scans at once with 1 worker each, a queue of 64. The whole run stops
// after 5 minutes whatever happens.
import { spawn } from 'node:child_process';
import { once } from 'node:events';
import { cpSync, existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { performance } from 'node:perf_hooks';
import { createInterface } from 'node:readline';

const ROOT = process.cwd();
const REQUESTS = 500;
const CONCURRENCY = 20;
const DEADLINE_MS = 300_000;

/** Peak resident set size of a process (Linux), in MB. */
function peakRssMb(pid: number): number | undefined {
  const status = `/proc/${pid}/status`;
  if (!existsSync(status)) return undefined;
  const m = /VmHWM:\s+(\d+) kB/.exec(readFileSync(status, 'utf8'));
  return m ? Number(m[1]) / 1024 : undefined;
}

async function main(): Promise<void> {
  const tmp = mkdtempSync(join(tmpdir(), 'mcp-sentinel-serve-bench-'));
  const tree = join(tmp, 'tree');
  cpSync(join(ROOT, 'examples'), tree, { recursive: true });
  const child = spawn(
    process.execPath,
    [
      join(ROOT, 'dist/cli.js'),
      'serve',
      '--port',
      '0',
      '--root',
      tree,
      '--queue',
      '64',
      '--cache-dir',
      join(tmp, 'cache'),
    ],
    { stdio: ['ignore', 'pipe', 'inherit'], env: { ...process.env, MCP_SENTINEL_TOKEN: '' } },
  );
  const killer = setTimeout(() => child.kill('SIGKILL'), DEADLINE_MS);
  try {
    let port = 0;
    await new Promise<void>((resolve, reject) => {
      child.once('exit', (c) => reject(new Error(`serve exited with ${c}`)));
      createInterface({ input: child.stdout! }).on('line', (line) => {
        const l = JSON.parse(line) as { event?: string; port?: number };
        if (l.event === 'listening') port = l.port!;
        if (l.event === 'ready') resolve();
      });
    });
    const url = `http://127.0.0.1:${port}/api/v1/scan`;
    const latencies: number[] = [];
    const statuses = new Map<number, number>();
    let next = 0;
    const t0 = performance.now();
    await Promise.all(
      Array.from({ length: CONCURRENCY }, async () => {
        while (next < REQUESTS) {
          next++;
          const s = performance.now();
          let status = 0;
          try {
            const res = await fetch(url, {
              method: 'POST',
              headers: { 'content-type': 'application/json' },
              body: JSON.stringify({ path: '.', format: 'json' }),
            });
            await res.arrayBuffer();
            status = res.status;
          } catch {
            status = -1;
          }
          latencies.push(performance.now() - s);
          statuses.set(status, (statuses.get(status) ?? 0) + 1);
        }
      }),
    );
    const wall = performance.now() - t0;
    latencies.sort((a, b) => a - b);
    const pct = (p: number) => latencies[Math.min(latencies.length - 1, Math.floor((p / 100) * latencies.length))]!;
    const errors = [...statuses].filter(([s]) => s !== 200 && s !== 429).reduce((n, [, c]) => n + c, 0);
    const rss = peakRssMb(child.pid!);
    console.log(
      `serve: ${REQUESTS} scan requests of examples/ at concurrency ${CONCURRENCY} (cache on, 2 scans at once)`,
    );
    console.log(`  throughput ${((REQUESTS * 1000) / wall).toFixed(1)} req/s (${(wall / 1000).toFixed(1)} s)`);
    console.log(`  latency p50 ${pct(50).toFixed(0)} ms, p95 ${pct(95).toFixed(0)} ms, max ${pct(100).toFixed(0)} ms`);
    console.log(`  statuses ${[...statuses].map(([s, c]) => `${s}×${c}`).join(', ')}; errors (not 200/429) ${errors}`);
    console.log(`  server peak RSS ${rss === undefined ? 'n/a (no /proc)' : `${rss.toFixed(0)} MB`} (goal ≤ 512 MB)`);
    if (errors) process.exitCode = 1;
  } finally {
    clearTimeout(killer);
    child.kill('SIGTERM');
    await once(child, 'exit');
    rmSync(tmp, { recursive: true, force: true });
  }
}

void main().catch((e: unknown) => {
  console.error(e);
  process.exitCode = 1;
});
