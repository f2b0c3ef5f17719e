import { Worker } from 'node:worker_threads';
import type { RegexBackendName } from '../../shared/types';
import type { ScanJobMessage, ScanResultMessage, WorkerToPool } from './protocol';

/** A job for the pool: what to scan and how long it may take. */
export interface PoolJob extends Omit<ScanJobMessage, 'type' | 'id'> {
  /**
   * Jobs with the same key supersede each other while queued: only the newest waits for a worker, the older one
   * settles as `superseded` (a document's older version is never worth scanning once a newer one exists).
   */
  key: string;
  /** Per-file time budget in milliseconds. */
  timeoutMs: number;
}

/** How a job ended. */
export type PoolOutcome =
  { kind: 'done'; result: ScanResultMessage } | { kind: 'skipped'; reason: string } | { kind: 'superseded' };

interface Pending {
  job: PoolJob;
  resolve: (o: PoolOutcome) => void;
}

interface Slot {
  worker: Worker;
  ready: boolean;
  busy?: { id: number; pending: Pending; timer: NodeJS.Timeout };
}

/** What the pool tells its owner about itself. */
export interface PoolEvents {
  /** A worker became ready: the backend it loaded. */
  onReady?(backend: RegexBackendName, reason: string | undefined): void;
  /** Something worth logging (crash, replacement, timeout). */
  onLog?(message: string): void;
}

/**
 * A fixed-size pool of detection workers (worker_threads running dist/worker.js). The language server's event
 * loop only queues jobs and receives results, so it stays free for the editor. A worker that crashes or exceeds a
 * job's time budget is terminated and replaced, and that job settles as skipped with the reason; the next job runs
 * on a fresh worker normally.
 */
export class WorkerPool {
  private readonly slots: Slot[] = [];
  private readonly queue: Pending[] = [];
  private nextId = 1;
  private disposed = false;

  constructor(
    private readonly script: string,
    readonly size: number,
    private readonly events: PoolEvents = {},
  ) {
    for (let i = 0; i < size; i++) this.slots.push(this.spawn());
  }

  /** Queues a scan; resolves when it is done, skipped or superseded. Never rejects. */
  run(job: PoolJob): Promise<PoolOutcome> {
    return new Promise((resolve) => {
      if (this.disposed) return resolve({ kind: 'skipped', reason: 'the scanner is shutting down' });
      const i = this.queue.findIndex((p) => p.job.key === job.key);
      if (i >= 0) this.queue.splice(i, 1)[0]!.resolve({ kind: 'superseded' });
      this.queue.push({ job, resolve });
      this.pump();
    });
  }

  /** Jobs waiting for a worker. */
  get queued(): number {
    return this.queue.length;
  }

  /** Terminates every worker; queued jobs settle as skipped. */
  async dispose(): Promise<void> {
    this.disposed = true;
    for (const p of this.queue.splice(0)) p.resolve({ kind: 'skipped', reason: 'the scanner is shutting down' });
    await Promise.all(
      this.slots.map((s) => {
        if (s.busy) {
          clearTimeout(s.busy.timer);
          s.busy.pending.resolve({ kind: 'skipped', reason: 'the scanner is shutting down' });
          s.busy = undefined;
        }
        return s.worker.terminate();
      }),
    );
  }

  private spawn(): Slot {
    const worker = new Worker(this.script, { stdout: false, stderr: false });
    const slot: Slot = { worker, ready: false };
    worker.on('message', (m: WorkerToPool) => this.onMessage(slot, m));
    worker.on('error', (e) => this.fail(slot, `the scanner crashed (${e.message})`));
    worker.on('exit', (code) => this.fail(slot, `the scanner exited unexpectedly (code ${code})`));
    // A worker must never keep the server alive on its own once the connection ends.
    worker.unref();
    return slot;
  }

  private onMessage(slot: Slot, m: WorkerToPool): void {
    if (m.type === 'ready') {
      slot.ready = true;
      this.events.onReady?.(m.backend, m.backendReason);
      this.pump();
      return;
    }
    const busy = slot.busy;
    if (!busy || busy.id !== m.id) return;
    clearTimeout(busy.timer);
    slot.busy = undefined;
    if (m.type === 'result') busy.pending.resolve({ kind: 'done', result: m });
    else busy.pending.resolve({ kind: 'skipped', reason: `the scan failed: ${m.message}` });
    this.pump();
  }

  /** A worker died or must die: settle its job as skipped with the reason and put a fresh worker in its place. */
  private fail(slot: Slot, reason: string): void {
    const idx = this.slots.indexOf(slot);
    if (idx < 0 || this.disposed) return;
    const busy = slot.busy;
    slot.busy = undefined;
    if (busy) {
      clearTimeout(busy.timer);
      busy.pending.resolve({ kind: 'skipped', reason });
    }
    this.events.onLog?.(`worker replaced: ${reason}${busy ? ` while scanning ${busy.pending.job.file}` : ''}`);
    // Detach first so the terminated worker's own 'exit' event cannot replace it a second time.
    slot.worker.removeAllListeners();
    slot.worker.on('error', () => undefined);
    void slot.worker.terminate();
    this.slots[idx] = this.spawn();
    this.pump();
  }

  private pump(): void {
    for (const slot of this.slots) {
      if (!this.queue.length) return;
      if (!slot.ready || slot.busy) continue;
      const pending = this.queue.shift()!;
      const id = this.nextId++;
      const { key: _key, timeoutMs, ...rest } = pending.job;
      const timer = setTimeout(() => this.fail(slot, `the scan exceeded the ${timeoutMs} ms time budget`), timeoutMs);
      slot.busy = { id, pending, timer };
      const msg: ScanJobMessage = { type: 'scan', id, ...rest };
      slot.worker.postMessage(msg);
    }
  }
}
