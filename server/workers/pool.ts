import { existsSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { Worker } from 'node:worker_threads';
import type { RegexBackendName } from '../../shared/types';
import type { FileFacts } from '../engine/facts';
import type { Grammar } from '../analysis/parse';
import type {
  DocumentChanges,
  GlobalFacts,
  PoolToWorker,
  ScanJobMessage,
  ScanResultMessage,
  WorkerMemory,
  WorkerToPool,
} from './protocol';
import { PublishedFacts } from './publishedFacts';
import { ResultReceiver } from './resultDeltas';
import { MemoryTally, nearHeapBound, WorkerLife, type PoolMemory, type RecyclePolicy } from './recycle';

/**
 * The worker bundle: `worker.js` beside the running bundle, since dist/cli.js and dist/server.js ship next to
 * dist/worker.js. Code bundled elsewhere (the test bundles under out/test/) runs the repository's dist/worker.js,
 * found in the nearest ancestor folder that has one, so that in-process tests scan through the real pool too.
 */
export function workerScript(): string {
  const beside = join(__dirname, 'worker.js');
  if (existsSync(beside)) return beside;
  for (let d = __dirname; d !== dirname(d); d = dirname(d)) {
    const built = join(d, 'dist', 'worker.js');
    if (existsSync(built)) return built;
  }
  return beside;
}

/** A job for the pool: what to scan and how long it may take. */
export interface PoolJob extends Omit<ScanJobMessage, 'type' | 'id' | 'factsVersion'> {
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
  | {
      kind: 'done';
      result: ScanResultMessage;
      /** The version of the root's published facts the job ran with (`factsVersion`), when it ran with any. */
      factsVersion?: number;
    }
  | { kind: 'skipped'; reason: string }
  | { kind: 'superseded' };

interface Pending {
  job: PoolJob;
  resolve: (o: PoolOutcome) => void;
  /** The job's worker ran out of memory once: it is running again on a worker with a larger heap. */
  retried?: boolean;
}

interface Slot {
  worker: Worker;
  ready: boolean;
  busy?: { id: number; pending: Pending; timer: NodeJS.Timeout; factsVersion?: number };
  /** The facts version this worker holds, by root. */
  facts: Map<string, number>;
  /** What it has scanned and its last reported memory, for recycling. */
  life: WorkerLife;
  /** Its V8 old-generation bound in MB, when the pool bounds its workers' heaps. */
  heapMb?: number;
  /**
   * The one job this worker was started for: a job whose worker ran out of memory, retried here with a larger heap.
   * It takes no other job and retires once that one settles.
   */
  reserved?: Pending;
  /** The last result received per editor document, which the worker's next result for it may build on. */
  results: ResultReceiver;
}

/** What the pool tells its owner about itself. */
export interface PoolEvents {
  /** A worker became ready: the backend it loaded. */
  onReady?(backend: RegexBackendName, reason: string | undefined): void;
  /** Something worth logging (crash, replacement, timeout). */
  onLog?(message: string): void;
}

/** How the pool's threads relate to the process. */
export interface PoolOptions {
  /**
   * Let the workers keep the process alive (the CLI, which waits for them and disposes the pool at the end). By
   * default they do not: the language server must exit when its connection ends, whatever the workers are doing.
   */
  keepProcessAlive?: boolean;
  /**
   * Retire workers by this policy and start fresh ones (recycle.ts): for batch pools (the CLI) only. An editor pool
   * leaves it out, since its workers keep documents' trees.
   */
  recycle?: RecyclePolicy;
  /**
   * Bound each worker's V8 heap (`resourceLimits`): its old generation to this many MB. A job whose worker runs out
   * of memory is retried once on a fresh worker with `OOM_RETRY_FACTOR` times the bound, and is skipped with the
   * reason ("needs more memory than …") if it runs out again: a file is never lost silently.
   */
  heapLimitMb?: number;
  /** Bound each worker's V8 young generation to this many MB (`resourceLimits.maxYoungGenerationSizeMb`). */
  youngGenerationMb?: number;
}

/** How much larger the heap bound of the worker that retries a job after running out of memory is. */
export const OOM_RETRY_FACTOR = 4;

/** How many workers may die in a row before becoming ready until the pool gives up starting them. */
const START_ATTEMPTS = 3;

/**
 * A fixed-size pool of detection workers (worker_threads running dist/worker.js), used by the language server and
 * the CLI. The front end's event loop only queues jobs and receives results, so it stays free for the editor. A
 * worker that crashes or exceeds a job's time budget is terminated and replaced, and that job settles as skipped
 * with the reason; the next job runs on a fresh worker normally.
 *
 * Workspace facts are published per root (`setFacts`) and sent to each worker once per version, just before the
 * first scan job that worker runs for the root, so a job carries one document and never the whole workspace.
 */
export class WorkerPool {
  private readonly slots: Slot[] = [];
  private readonly queue: Pending[] = [];
  private readonly facts = new PublishedFacts();
  private nextId = 1;
  private disposed = false;
  /** Workers that died in a row before any became ready; at START_ATTEMPTS the pool gives up (see `fail`). */
  private failedStarts = 0;
  /** Why no worker can start, once the last one has given up; every job then settles as skipped with it. */
  private broken: string | undefined;
  /**
   * The worker that owns each editor document (`ScanJobMessage.document`): it keeps the document's tree, so every
   * job of the document goes to it. Forgotten when the worker dies (its replacement starts from the full text).
   */
  private readonly owners = new Map<string, Slot>();
  private readonly tally = new MemoryTally();
  /**
   * The heap bound of the workers started from now on: `heapLimitMb`, doubled each time a worker runs out of it, so
   * that a scan whose every job needs more (a large workspace-facts index, which each worker holds) pays one retry,
   * not one per file.
   */
  private heapBound: number | undefined;

  constructor(
    private readonly script: string,
    readonly size: number,
    private readonly events: PoolEvents = {},
    private readonly options: PoolOptions = {},
  ) {
    this.heapBound = options.heapLimitMb;
    for (let i = 0; i < size; i++) this.slots.push(this.spawn());
  }

  /**
   * Publishes the workspace facts of a root (by root-relative file). Scan jobs of that root dispatched from now on
   * run with them; a job already running keeps the version it started with.
   */
  setFacts(root: string, facts: Record<string, FileFacts>): void {
    this.facts.publish(root, facts);
  }

  /**
   * Publishes only the whole-workspace part of a root's merged facts (`FactsMessage.merged`), for a batch scan whose
   * jobs take each file's own facts from the published ones and bring their file's values of the per-file fields
   * (`ScanJobMessage.fileFacts`): every worker then holds the tool and server names instead of every file's entry.
   */
  setMergedFacts(root: string, merged: GlobalFacts): void {
    this.facts.publishMerged(root, merged);
  }

  /** The version of a root's published facts that a job dispatched now would run with; undefined: none published. */
  factsVersion(root: string): number | undefined {
    return this.facts.version(root);
  }

  /** Queues a scan; resolves when it is done, skipped or superseded. Never rejects. */
  run(job: PoolJob): Promise<PoolOutcome> {
    return new Promise((resolve) => {
      if (this.disposed) return resolve({ kind: 'skipped', reason: 'the scanner is shutting down' });
      if (this.broken) return resolve({ kind: 'skipped', reason: this.broken });
      const i = this.queue.findIndex((p) => p.job.key === job.key);
      if (i >= 0) this.queue.splice(i, 1)[0]!.resolve({ kind: 'superseded' });
      this.queue.push({ job, resolve });
      this.pump();
    });
  }

  /**
   * Lets the worker that owns an editor document re-parse a new version while its scan waits for the debounce
   * (`PrepareMessage`). Only an idle owner gets it: a busy one would queue re-parses of versions its next job makes
   * stale, and the job re-parses anyway.
   */
  prepare(document: DocumentChanges, text: string, grammar: Grammar): void {
    const slot = this.owners.get(document.key);
    if (!slot || !slot.ready || slot.busy || slot.reserved || !this.slots.includes(slot)) return;
    this.post(slot, { type: 'prepare', document, text, grammar });
  }

  /** Frees an editor document's state in the worker that owns it (the document was closed). */
  forget(key: string): void {
    const slot = this.owners.get(key);
    this.owners.delete(key);
    if (slot && this.slots.includes(slot)) {
      this.post(slot, { type: 'forget', key });
      slot.results.forget(key);
    }
  }

  /** Why no worker could start, when the pool gave up starting them (a broken install); undefined otherwise. */
  get startFailure(): string | undefined {
    return this.broken;
  }

  /** The memory figures of the pool so far: its workers' peaks and how often it recycled them (recycle.ts). */
  get memory(): Readonly<PoolMemory> {
    return this.tally.figures;
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
        s.reserved?.resolve({ kind: 'skipped', reason: 'the scanner is shutting down' });
        if (s.busy) {
          clearTimeout(s.busy.timer);
          s.busy.pending.resolve({ kind: 'skipped', reason: 'the scanner is shutting down' });
          s.busy = undefined;
        }
        return s.worker.terminate();
      }),
    );
  }

  private spawn(heapMb = this.heapBound): Slot {
    const young = this.options.youngGenerationMb;
    const limits = {
      ...(heapMb ? { maxOldGenerationSizeMb: heapMb } : {}),
      ...(young ? { maxYoungGenerationSizeMb: young } : {}),
    };
    const worker = new Worker(this.script, { stdout: false, stderr: false, resourceLimits: limits });
    const slot: Slot = {
      worker,
      ready: false,
      facts: new Map(),
      life: new WorkerLife(),
      results: new ResultReceiver(),
      ...(heapMb ? { heapMb } : {}),
    };
    worker.on('message', (m: WorkerToPool) => this.onMessage(slot, m));
    worker.on('error', (e: Error & { code?: string }) =>
      e.code === 'ERR_WORKER_OUT_OF_MEMORY'
        ? this.outOfMemory(slot)
        : this.fail(slot, `the scanner crashed (${e.message})`),
    );
    worker.on('exit', (code) => this.fail(slot, `the scanner exited unexpectedly (code ${code})`));
    // A worker must never keep the server alive on its own once the connection ends.
    if (!this.options.keepProcessAlive) worker.unref();
    return slot;
  }

  private onMessage(slot: Slot, m: WorkerToPool): void {
    if (m.type === 'ready') {
      slot.ready = true;
      this.failedStarts = 0;
      this.observe(slot, m.memory, true);
      this.events.onReady?.(m.backend, m.backendReason);
      this.pump();
      return;
    }
    // Every editor document's result is restored, even one that comes too late to be used: the worker builds its
    // next result for the document on this one.
    if (m.type === 'result' && m.document !== undefined) {
      try {
        slot.results.receive(m.document, m);
      } catch (e) {
        return this.fail(slot, `the scanner lost track of its results (${e instanceof Error ? e.message : String(e)})`);
      }
    }
    const busy = slot.busy;
    if (!busy || busy.id !== m.id) return;
    clearTimeout(busy.timer);
    if (m.type === 'started') {
      busy.timer = this.budget(slot, busy.pending.job.timeoutMs);
      return;
    }
    slot.busy = undefined;
    if (m.type === 'result')
      busy.pending.resolve(
        busy.factsVersion === undefined
          ? { kind: 'done', result: m }
          : { kind: 'done', result: m, factsVersion: busy.factsVersion },
      );
    else if (m.type === 'skipped') busy.pending.resolve({ kind: 'skipped', reason: m.reason });
    else busy.pending.resolve({ kind: 'skipped', reason: `the scan failed: ${m.message}` });
    slot.life.answered(busy.pending.job.text.length, m.memory);
    this.observe(slot, m.memory);
    const policy = this.options.recycle;
    const why = slot.reserved
      ? 'it retried one job with a larger heap'
      : (this.nearBound(slot, m.memory) ?? (policy && slot.life.retireReason(policy)));
    if (why) this.replace(slot, `worker retired after ${why}`);
    this.pump();
  }

  private observe(slot: Slot, memory: WorkerMemory | undefined, fresh = false): void {
    if (!memory) return;
    if (fresh) slot.life.reported(memory);
    this.tally.observe(
      memory,
      this.slots.map((s) => s.life.memory),
      fresh,
    );
  }

  /**
   * A worker ran out of its heap bound. Its job runs once more on a fresh worker with `OOM_RETRY_FACTOR` times the
   * bound, which takes no other job and retires after it; a job that runs out there too is skipped with the reason.
   */
  private outOfMemory(slot: Slot): void {
    const idx = this.slots.indexOf(slot);
    const pending = slot.busy?.pending ?? slot.reserved;
    if (!slot.heapMb) return this.fail(slot, 'the scanner ran out of memory');
    if (idx < 0 || this.disposed || !pending || pending.retried)
      return this.fail(slot, `the file needs more memory than the scanner's ${slot.heapMb} MB heap`);
    clearTimeout(slot.busy?.timer);
    slot.busy = undefined;
    slot.reserved = undefined;
    pending.retried = true;
    this.tally.figures.retriedOutOfMemory++;
    this.raiseHeapBound(slot.heapMb);
    this.detach(slot);
    const bigger = this.spawn(slot.heapMb * OOM_RETRY_FACTOR);
    bigger.reserved = pending;
    this.slots[idx] = bigger;
    this.events.onLog?.(
      `worker ran out of its ${slot.heapMb} MB heap while scanning ${pending.job.file}: retrying it with ${bigger.heapMb} MB`,
    );
  }

  /**
   * When a worker's heap in use came near its bound (recycle.ts `nearHeapBound`), doubles the bound of the workers
   * started from now on and says why this one retires; else undefined.
   */
  private nearBound(slot: Slot, memory: WorkerMemory | undefined): string | undefined {
    if (!nearHeapBound(memory, slot.heapMb)) return undefined;
    this.raiseHeapBound(slot.heapMb!);
    return `its heap in use (${Math.round(memory!.heapUsed / 2 ** 20)} MB) came near its ${slot.heapMb} MB bound: workers now start with ${this.heapBound} MB`;
  }

  /**
   * Gives the workers started from now on twice the bound of a worker that needed more; when another worker raised
   * the bound already, that bound stands.
   */
  private raiseHeapBound(needyMb: number): void {
    this.heapBound = Math.max(this.heapBound ?? 0, needyMb * 2);
  }

  /** Retires a worker between jobs and starts a fresh one in its place (recycling). */
  private replace(slot: Slot, reason: string): void {
    const idx = this.slots.indexOf(slot);
    if (idx < 0 || this.disposed) return;
    this.detach(slot);
    this.tally.figures.recycled++;
    this.events.onLog?.(reason);
    this.slots[idx] = this.spawn();
  }

  /**
   * Stops a worker that is leaving the pool: its editor documents lose their owner (their next job parses the full
   * text elsewhere), and its listeners go first, so that its own 'exit' event cannot replace it a second time.
   */
  private detach(slot: Slot): void {
    for (const [key, owner] of this.owners) if (owner === slot) this.owners.delete(key);
    slot.worker.removeAllListeners();
    slot.worker.on('error', () => undefined);
    void slot.worker.terminate();
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
    // A worker started to retry one job that never got to run it: the job settles with the reason too.
    slot.reserved?.resolve({ kind: 'skipped', reason });
    slot.reserved = undefined;
    this.detach(slot);
    // A worker that dies before it is ready (a missing or broken worker script, a parser that cannot load) would die
    // again in its replacement: after a few such deaths in a row the pool stops respawning and settles every job
    // with the reason, instead of spinning and leaving the jobs waiting forever.
    if (!slot.ready && ++this.failedStarts >= START_ATTEMPTS) {
      this.slots.splice(idx, 1);
      this.events.onLog?.(`worker not replaced after ${START_ATTEMPTS} failed starts: ${reason}`);
      if (this.slots.length) return this.pump();
      this.broken = `the scanner could not start: ${reason}`;
      for (const p of this.queue.splice(0)) p.resolve({ kind: 'skipped', reason: this.broken });
      return;
    }
    this.events.onLog?.(`worker replaced: ${reason}${busy ? ` while scanning ${busy.pending.job.file}` : ''}`);
    this.slots[idx] = this.spawn();
    this.pump();
  }

  private pump(): void {
    for (const slot of this.slots) {
      if (!slot.ready || slot.busy) continue;
      if (!slot.reserved && !this.queue.length) continue;
      const next = slot.reserved ? -1 : this.nextFor(slot);
      if (!slot.reserved && next < 0) continue;
      const pending = slot.reserved ?? this.queue.splice(next, 1)[0]!;
      const owned = pending.job.document?.key;
      if (owned !== undefined) this.owners.set(owned, slot);
      const id = this.nextId++;
      const { key: _key, timeoutMs, ...rest } = pending.job;
      // The budget runs from dispatch, so that a worker stuck opening a project is bounded too, and restarts when
      // the worker reports that it has started on the document (`started`).
      slot.busy = { id, pending, timer: this.budget(slot, timeoutMs) };
      const msg: ScanJobMessage = { type: 'scan', id, ...rest };
      const root = rest.project.root;
      const version = rest.mode === 'facts' ? undefined : this.facts.version(root);
      if (version !== undefined) {
        // Messages to one worker arrive in order, so the facts are in place before the job that names them.
        const held = slot.facts.get(root);
        if (held !== version) {
          this.post(slot, slot.results.withOwnFacts(this.facts.messageFor(root, held)));
          slot.facts.set(root, version);
          // The worker keeps the facts: what it reports next is its floor for recycling.
          slot.life.rebase();
        }
        msg.factsVersion = version;
        slot.busy.factsVersion = version;
      }
      this.post(slot, msg);
    }
  }

  /**
   * The first queued job this free worker may take: any job, except an editor document's job while the document's
   * owner is another live worker (it waits for its owner, which keeps its tree, instead of parsing it again here).
   */
  private nextFor(slot: Slot): number {
    return this.queue.findIndex((p) => {
      const key = p.job.document?.key;
      const owner = key === undefined ? undefined : this.owners.get(key);
      return !owner || owner === slot || !this.slots.includes(owner);
    });
  }

  private budget(slot: Slot, timeoutMs: number): NodeJS.Timeout {
    return setTimeout(() => this.fail(slot, `the scan exceeded the ${timeoutMs} ms time budget`), timeoutMs);
  }

  private post(slot: Slot, m: PoolToWorker): void {
    slot.worker.postMessage(m);
  }
}
