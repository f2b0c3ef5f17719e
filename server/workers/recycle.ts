/**
 * Worker recycling and the memory figures of a pool. A detection worker's memory only grows over a long batch:
 * tree-sitter's WebAssembly memory grows to the largest file parsed so far and never shrinks, and V8 keeps the heap
 * it once needed. A batch pool (the CLI's) therefore retires a worker after a number of files or characters, or as
 * soon as the memory it reports with each answer has grown past an allowance, and starts a fresh one in its place.
 * Retiring is graceful: the worker is retired between jobs, never in the middle of one.
 *
 * Growth is measured from the worker's floor, the memory it reported once it held everything it must keep (loaded,
 * then again after each workspace facts message): a workspace's facts can be large, and a threshold on the absolute
 * size would retire every worker of such a workspace after each file, each fresh one receiving the facts again.
 *
 * Editor pools do not recycle: an editor document's tree lives in the worker that owns it (docState.ts), and a
 * steady editor session parses a handful of documents, not a hundred thousand.
 */
import type { WorkerMemory } from './protocol';

/** When a batch worker retires; each limit is optional, and the first one reached retires the worker. */
export interface RecyclePolicy {
  /** Jobs a worker runs before it retires. */
  maxJobs?: number;
  /** Characters of text a worker scans before it retires. */
  maxChars?: number;
  /**
   * Bytes by which reserved V8 heap plus WebAssembly memory (`WorkerMemory.heap + wasm`) may grow above the worker's
   * floor (see the module comment) before it retires after the job that reported them.
   */
  maxGrowthBytes?: number;
}

const MB = 1024 * 1024;

/**
 * The CLI's recycling: a worker retires once its heap and tree-sitter memory have grown 128 MB above its floor, or
 * after 200,000 files or 2 G characters, whichever comes first. A fresh worker costs more than its start-up: it
 * receives the workspace facts again, and its code runs unoptimised until V8 has warmed up, which measured several
 * seconds per recycling on a 20,000-file tree when a 48 MB allowance retired a worker every few hundred files (V8's
 * reserved heap breathes by tens of megabytes with its garbage). It costs resident memory too: a retired worker does
 * not give back all it held, and the fresh one grows anew beside what stays (measured on the 20,000-file bench
 * tree: retiring after every 1,500 files, 4 times, raised the peak RSS from 216 to 240 MB; on the 100k-file tree,
 * the scan pass peaked at 249 MB after a retirement at 20,000 files, and at 223 MB without it). So the allowance, which measures the growth itself,
 * is what retires a worker: it catches what does not come back (tree-sitter's memory after a very large file, a
 * leak), not the heap's ordinary breathing, and the heap's own bound (`BATCH_HEAP_BOUNDS`) keeps the rest in check.
 * The file and character counts are a backstop for growth that the figures do not show.
 */
export const BATCH_RECYCLING: Readonly<RecyclePolicy> = {
  maxJobs: 200_000,
  maxChars: 2048 * MB,
  maxGrowthBytes: 128 * MB,
};

/**
 * The heap bounds of a batch scan's workers (`PoolOptions.heapLimitMb`, `youngGenerationMb`). Without a bound, V8
 * lets a worker's heap grow far past what it keeps alive (measured on the 100k-file tree: 261 MB of heap per worker
 * unbounded, 126 MB with these bounds, and the scan no slower); a job that needs more is retried with a larger bound
 * and raises the bound of later workers (pool.ts), so a large workspace-facts index costs one retry, not one per file.
 */
export const BATCH_HEAP_BOUNDS = { heapLimitMb: 128, youngGenerationMb: 16 } as const;

/**
 * True when a worker's heap in use after a job passes three quarters of its bound: the worker holds that much (the
 * workspace facts it was sent, mostly), so V8 would spend its time collecting near the bound. The pool then gives
 * later workers twice the bound and retires this one, rather than letting a scan slow down without a failure.
 */
export function nearHeapBound(memory: WorkerMemory | undefined, heapMb: number | undefined): boolean {
  return !!memory && !!heapMb && memory.heapUsed > 0.75 * heapMb * MB;
}

/** One worker's life so far: what it has scanned, the memory it last reported, and its floor. */
export class WorkerLife {
  /** Jobs answered. */
  jobs = 0;
  /** Characters of text in the jobs answered. */
  chars = 0;
  /** The memory it reported last. */
  memory: WorkerMemory | undefined;
  /** Heap + WebAssembly memory once it held what it must keep; growth is measured from here. */
  floor: number | undefined;
  private rebasing = true;

  /** Records the memory the worker reported (when ready, or with an answer). */
  reported(memory: WorkerMemory | undefined): void {
    if (!memory) return;
    this.memory = memory;
    if (this.rebasing) this.floor = memory.heap + memory.wasm;
    this.rebasing = false;
  }

  /** Records one answered job of `chars` characters and the memory the worker reported with the answer. */
  answered(chars: number, memory: WorkerMemory | undefined): void {
    this.jobs++;
    this.chars += chars;
    this.reported(memory);
  }

  /** The worker was sent data it keeps (workspace facts): the memory it reports next is its new floor. */
  rebase(): void {
    this.rebasing = true;
  }

  /** Why the worker should retire now under `policy`, in words for the log; undefined while it may go on. */
  retireReason(policy: RecyclePolicy): string | undefined {
    if (policy.maxJobs !== undefined && this.jobs >= policy.maxJobs) return `${this.jobs} files`;
    if (policy.maxChars !== undefined && this.chars >= policy.maxChars) return `${mb(this.chars)} MB of text`;
    const m = this.memory;
    const grown = m && this.floor !== undefined ? m.heap + m.wasm - this.floor : 0;
    if (policy.maxGrowthBytes !== undefined && m && grown >= policy.maxGrowthBytes)
      return `its heap (${mb(m.heap)} MB) and tree-sitter memory (${mb(m.wasm)} MB) grew ${mb(grown)} MB`;
    return undefined;
  }
}

/** The memory figures of a pool over its life, in bytes: the peaks its workers reported, and how often it recycled. */
export interface PoolMemory {
  /** The largest reserved V8 heap any worker reported. */
  workerHeap: number;
  /** The largest external memory (buffers) any worker reported. */
  workerExternal: number;
  /** The largest tree-sitter WebAssembly memory any worker reported. */
  workerWasm: number;
  /** The largest sum over the live workers of their last reported heap + external + WebAssembly memory. */
  workersTotal: number;
  /** What a fresh worker reported once loaded (heap + external + WebAssembly memory), the largest seen. */
  freshWorker: number;
  /** Workers retired by the recycling policy and replaced. */
  recycled: number;
  /** Jobs retried on a fresh worker with a larger heap after their worker ran out of memory. */
  retriedOutOfMemory: number;
}

/** Collects a pool's `PoolMemory` from the memory its workers report. */
export class MemoryTally {
  readonly figures: PoolMemory = {
    workerHeap: 0,
    workerExternal: 0,
    workerWasm: 0,
    workersTotal: 0,
    freshWorker: 0,
    recycled: 0,
    retriedOutOfMemory: 0,
  };

  /** A worker reported `m`; `live` is every live worker's last report (this one included). */
  observe(m: WorkerMemory, live: Iterable<WorkerMemory | undefined>, fresh = false): void {
    const f = this.figures;
    f.workerHeap = Math.max(f.workerHeap, m.heap);
    f.workerExternal = Math.max(f.workerExternal, m.external);
    f.workerWasm = Math.max(f.workerWasm, m.wasm);
    if (fresh) f.freshWorker = Math.max(f.freshWorker, m.heap + m.external + m.wasm);
    let total = 0;
    for (const x of live) if (x) total += x.heap + x.external + x.wasm;
    f.workersTotal = Math.max(f.workersTotal, total);
  }
}

/** Bytes in whole megabytes, for log lines. */
function mb(bytes: number): number {
  return Math.round(bytes / MB);
}
