/**
 * Where a scan's memory went, for `--verbose`: the process's peak resident set, the main thread's V8 heap (sampled
 * as results come in) and the worker pool's figures (the peaks its workers reported with their answers, and how
 * often it recycled them: server/workers/recycle.ts). Large scans are judged on their peak RSS, and this line says
 * which part of the process to look at when it grows.
 */
import { getHeapStatistics } from 'node:v8';
import type { PoolMemory } from '../workers/recycle';

/** A scan's memory figures, in bytes. */
export interface ScanMemory {
  /** The process's peak resident set size so far (what `/usr/bin/time` reports as maximum RSS). */
  peakRss: number;
  /** The main thread's largest reserved V8 heap seen. */
  mainHeap: number;
  /** The main thread's largest heap in use seen. */
  mainHeapUsed: number;
  /** The main thread's largest external memory (buffers) seen. */
  mainExternal: number;
  /** The pool's figures, when the scan ran in one. */
  pool?: PoolMemory;
}

/** Samples the main thread's heap every `every` calls of `sample` (V8's counters cost microseconds; still, not per file). */
export class MainMemory {
  private calls = 0;
  private readonly peaks = { mainHeap: 0, mainHeapUsed: 0, mainExternal: 0 };

  constructor(private readonly every = 64) {
    this.take();
  }

  /** Counts one event (a delivered file), taking a sample every `every` of them. */
  sample(): void {
    if (++this.calls % this.every === 0) this.take();
  }

  /** The figures now, with the pool's when there was one. */
  figures(pool?: PoolMemory): ScanMemory {
    this.take();
    return { peakRss: process.resourceUsage().maxRSS * 1024, ...this.peaks, ...(pool ? { pool } : {}) };
  }

  private take(): void {
    const h = getHeapStatistics();
    const p = this.peaks;
    p.mainHeap = Math.max(p.mainHeap, h.total_heap_size);
    p.mainHeapUsed = Math.max(p.mainHeapUsed, h.used_heap_size);
    p.mainExternal = Math.max(p.mainExternal, h.external_memory);
  }
}

/** The `--verbose` line of a scan's memory figures. */
export function memoryLine(m: ScanMemory): string {
  const mb = (n: number) => `${Math.round(n / (1024 * 1024))} MB`;
  const main = `memory: peak RSS ${mb(m.peakRss)}; main thread heap ≤ ${mb(m.mainHeap)} (${mb(m.mainHeapUsed)} used), external ≤ ${mb(m.mainExternal)}`;
  const p = m.pool;
  if (!p) return main + '\n';
  return (
    `${main}; per worker: heap ≤ ${mb(p.workerHeap)}, tree-sitter ≤ ${mb(p.workerWasm)}, external ≤ ${mb(p.workerExternal)}` +
    ` (fresh ${mb(p.freshWorker)}); all workers ≤ ${mb(p.workersTotal)}; workers recycled: ${p.recycled}` +
    (p.retriedOutOfMemory ? `; files retried with a larger heap: ${p.retriedOutOfMemory}` : '') +
    '\n'
  );
}
