// The scans the service runs: each one queued for a slot, then run by `runScan` (the CLI's own path) or the package
// vetting entry point, under a time budget and a files/bytes budget, cancellable by its id or by its client going
// away. Every scan has an event log (queued, started, progress, finding, done/cancelled/failed) that the REST
// route awaits and the Server-Sent Events routes stream.
import { randomUUID } from 'node:crypto';
import { EventEmitter } from 'node:events';
import { statSync } from 'node:fs';
import { join } from 'node:path';
import { SpanStatusCode, type Tracer } from '@opentelemetry/api';
import { runScan, ScanError } from '../cli/scan';
import { renderFormat } from '../cli/run';
import type { Format } from '../cli/args';
import { scanRoot } from '../discovery/discover';
import type { RuleOverrides } from '../engine/engine';
import { ruleCatalogue } from '../rules/catalogue';
import { ruleMetaOf } from '../core/rule';
import type { ReportInput } from '../reports/model';
import { toReportFinding } from '../reports/model';
import type { ServiceMetrics } from './metrics';
import { QueueFull, type ScanQueue } from './queue';
import { testHold } from './testHooks';

/** What to scan, after the route has validated and resolved it. */
export type ScanTarget =
  | { source: 'path' | 'upload'; path: string; config?: string; overrides?: RuleOverrides }
  | { source: 'package'; request: string };

/** One scan's event, as streamed (`event:` is the type, `data:` the rest as JSON). */
export interface ScanEvent {
  /** queued, started, progress, finding, done, cancelled, failed. */
  type: string;
  /** The event's fields. */
  data: Record<string, unknown>;
}

/** How a scan failed, with the HTTP status the REST route answers. */
export class ScanFailure extends Error {
  /** Creates the failure. */
  constructor(
    readonly status: number,
    message: string,
    readonly retryAfter?: number,
  ) {
    super(message);
  }
}

/** The rendered report. */
export interface ScanAnswer {
  /** The bytes the CLI writes for the same scan and format. */
  body: string;
  /** Its media type. */
  contentType: string;
}

/** A package vetting function: `vetPackage`'s shape, reduced to what the service uses. */
export type VetFunction = (
  request: string,
  options: {
    cwd: string;
    signal: AbortSignal;
    timeoutMs: number;
    cacheDir?: string;
    onProgress?: (message: string) => void;
  },
) => Promise<ReportInput>;

/** Budgets and wiring of the scan runner. */
export interface RunnerOptions {
  queue: ScanQueue;
  metrics: ServiceMetrics;
  tracer: Tracer;
  vet: VetFunction;
  workersPerScan: number;
  scanTimeoutMs: number;
  maxFiles: number;
  maxBytes: number;
  cacheDir?: string;
  /** Working directory for package requests (its `.npmrc` configures the registry). */
  cwd: string;
}

/** Media types of the formats. */
export const CONTENT_TYPES: Record<Format, string> = {
  json: 'application/json; charset=utf-8',
  sarif: 'application/sarif+json; charset=utf-8',
  html: 'text/html; charset=utf-8',
  text: 'text/plain; charset=utf-8',
};

/** One scan: its id, its events and its result. */
export class Scan extends EventEmitter {
  /** The scan's id (a random UUID: ids are not guessable, so one client cannot cancel another's scan by chance). */
  readonly id = randomUUID();
  /** Every event so far (a late subscriber replays them). */
  readonly events: ScanEvent[] = [];
  /** Aborted to cancel the scan; its reason says why (`cancel`, `disconnect`, `timeout`, `limit`, `shutdown`). */
  readonly controller = new AbortController();
  /** Settles with the answer or a ScanFailure. */
  result!: Promise<ScanAnswer>;
  /** True once a final event was sent. */
  finished = false;
  /** Why the scan was stopped for its budget, when it was. */
  limitMessage = 'the scan exceeds its budget';

  /**
   * Records and emits an event. Findings are kept out of the replay log past the first 1000, and the replay log
   * keeps the final event without its rendered report, so the last finished scans kept for late followers hold
   * little memory.
   */
  emitEvent(type: string, data: Record<string, unknown>): void {
    const e = { type, data };
    if (type === 'done') {
      const { report: _report, ...rest } = data;
      this.events.push({ type, data: rest });
    } else if (type !== 'finding' || this.events.length < 1000) this.events.push(e);
    if (type === 'done' || type === 'cancelled' || type === 'failed') this.finished = true;
    this.emit('event', e);
  }

  /** Cancels the scan (idempotent). */
  cancel(reason: 'cancel' | 'disconnect' | 'timeout' | 'limit' | 'shutdown'): void {
    if (!this.controller.signal.aborted) this.controller.abort(reason);
  }
}

/** Runs scans under the queue and budgets, and keeps the running ones (and the last finished ones) by id. */
export class ScanRunner {
  private readonly scans = new Map<string, Scan>();
  private readonly finished: string[] = [];

  /** Creates the runner. */
  constructor(private readonly o: RunnerOptions) {}

  /** The scan of this id, running or recently finished. */
  get(id: string): Scan | undefined {
    return this.scans.get(id);
  }

  /** Scans not yet finished. */
  running(): Scan[] {
    return [...this.scans.values()].filter((s) => !s.finished);
  }

  /** Starts a scan: it waits for a slot (or fails at once with 429 when the queue is full). */
  start(target: ScanTarget, format: Format): Scan {
    const scan = new Scan();
    // An 'error' event would throw without a listener; scans report failures as 'failed' events instead.
    scan.on('error', () => undefined);
    this.scans.set(scan.id, scan);
    scan.result = this.run(scan, target, format).finally(() => {
      this.finished.push(scan.id);
      // The last 200 finished scans stay for late subscribers; older ones are forgotten.
      while (this.finished.length > 200) this.scans.delete(this.finished.shift()!);
    });
    // The REST route awaits `result`; an unawaited rejection must not crash the process.
    scan.result.catch(() => undefined);
    return scan;
  }

  private async run(scan: Scan, target: ScanTarget, format: Format): Promise<ScanAnswer> {
    const { metrics, queue } = this.o;
    const signal = scan.controller.signal;
    const tQueued = performance.now();
    let slot;
    try {
      const pending = queue.acquire(signal);
      metrics.queueDepth.set(queue.depth);
      if (queue.depth > 0) scan.emitEvent('queued', { id: scan.id, position: queue.depth });
      slot = await pending;
    } catch (e) {
      metrics.queueDepth.set(queue.depth);
      if (e instanceof QueueFull) {
        metrics.scans.inc({ outcome: 'rejected', source: target.source });
        scan.emitEvent('failed', { id: scan.id, status: 429, message: e.message });
        throw new ScanFailure(429, e.message, 1);
      }
      return this.cancelled(scan, target, 0);
    }
    metrics.queueDepth.set(queue.depth);
    metrics.queueWait.observe((performance.now() - tQueued) / 1000);
    metrics.active.set(queue.active);
    const t0 = performance.now();
    const timer = setTimeout(() => scan.cancel('timeout'), this.o.scanTimeoutMs);
    const span = this.o.tracer.startSpan('mcp-sentinel.scan', {
      attributes: { 'scan.id': scan.id, 'scan.source': target.source, 'scan.format': format },
    });
    try {
      scan.emitEvent('started', { id: scan.id });
      await testHold(scan, signal);
      const input =
        target.source === 'package'
          ? await this.vet(scan, target.request, signal)
          : await this.scanPath(scan, target, span);
      const body = renderFormat(format, input, { color: false });
      metrics.recordReport(input.report);
      metrics.scans.inc({ outcome: 'ok', source: target.source });
      metrics.duration.observe({ outcome: 'ok' }, (performance.now() - t0) / 1000);
      const s = input.report.stats;
      span.setAttributes({ 'scan.files': s.filesScanned, 'scan.findings': input.report.findings.length });
      scan.emitEvent('done', {
        id: scan.id,
        filesScanned: s.filesScanned,
        findings: input.report.findings.filter((f) => !f.suppressed).length,
        format,
        report: body,
      });
      return { body, contentType: CONTENT_TYPES[format] };
    } catch (e) {
      if (signal.aborted) return this.cancelled(scan, target, t0);
      const failure =
        e instanceof ScanFailure
          ? e
          : e instanceof ScanError
            ? new ScanFailure(400, e.message)
            : new ScanFailure(500, 'the scan failed');
      span.recordException(failure);
      span.setStatus({ code: SpanStatusCode.ERROR, message: failure.message });
      metrics.scans.inc({ outcome: failure.status < 500 ? 'refused' : 'error', source: target.source });
      metrics.duration.observe({ outcome: 'error' }, (performance.now() - t0) / 1000);
      scan.emitEvent('failed', { id: scan.id, status: failure.status, message: failure.message });
      throw failure;
    } finally {
      clearTimeout(timer);
      span.end();
      slot.release();
      metrics.active.set(queue.active);
      metrics.queueDepth.set(queue.depth);
    }
  }

  private cancelled(scan: Scan, target: ScanTarget, t0: number): never {
    const reason = String(scan.controller.signal.reason ?? 'cancel');
    const { metrics } = this.o;
    const outcome = reason === 'timeout' ? 'timeout' : reason === 'limit' ? 'refused' : 'cancelled';
    metrics.scans.inc({ outcome, source: target.source });
    if (t0) metrics.duration.observe({ outcome }, (performance.now() - t0) / 1000);
    if (reason === 'limit') {
      const message = scan.limitMessage;
      scan.emitEvent('failed', { id: scan.id, status: 413, message });
      throw new ScanFailure(413, message);
    }
    const message =
      reason === 'timeout'
        ? `the scan exceeded its ${this.o.scanTimeoutMs} ms time budget`
        : `the scan was cancelled (${reason})`;
    scan.emitEvent('cancelled', { id: scan.id, reason });
    throw new ScanFailure(reason === 'timeout' ? 504 : 499, message);
  }

  /** A path or unpacked upload through `runScan`, with progress and findings sent as each file is done. */
  private async scanPath(
    scan: Scan,
    target: Extract<ScanTarget, { path: string }>,
    span: ReturnType<Tracer['startSpan']>,
  ): Promise<ReportInput> {
    const root = scanRoot([target.path]);
    let bytes = 0;
    const overBudget = (what: string) => {
      scan.limitMessage = what;
      scan.cancel('limit');
    };
    const outcome = await runScan({
      paths: [target.path],
      cwd: root,
      ...(target.config ? { config: target.config } : {}),
      workers: this.o.workersPerScan,
      ...(this.o.cacheDir ? { cacheDir: this.o.cacheDir } : {}),
      ...(target.overrides ? { projectOptions: { overrides: target.overrides } } : {}),
      signal: scan.controller.signal,
      timeRules: true,
      onProgress: (done, total) => {
        if (total > this.o.maxFiles) overBudget(`the scan has ${total} files, over the budget of ${this.o.maxFiles}`);
        scan.emitEvent('progress', { id: scan.id, done, total });
      },
      onFileResult: (file, r) => {
        try {
          bytes += statSync(join(root, file)).size;
        } catch {
          // A file gone since it was read adds nothing.
        }
        if (bytes > this.o.maxBytes) overBudget(`the scan reads more than ${this.o.maxBytes} bytes, over its budget`);
        // One span event per file (workers are threads without their own tracer); no path or text in it.
        span.addEvent('file', { ok: r.ok, findings: r.ok ? r.findings.length : 0 });
        if (!r.ok) this.o.metrics.recordSkipReason(r.reason);
        else if (r.ruleMs) this.o.metrics.recordRuleTimes(r.ruleMs);
        if (r.ok)
          for (const f of r.findings) {
            if (f.suppressed) continue;
            const rf = toReportFinding(f);
            scan.emitEvent('finding', {
              id: scan.id,
              ruleId: rf.ruleId,
              severity: rf.severity,
              category: rf.category,
              file: rf.file,
              line: rf.range.start.line,
              column: rf.range.start.column,
              message: rf.message,
            });
          }
      },
    });
    return outcome;
  }

  private async vet(scan: Scan, request: string, signal: AbortSignal): Promise<ReportInput> {
    return this.o.vet(request, {
      cwd: this.o.cwd,
      signal,
      // Vetting reports its steps as lines ("fetching x@1.2.3"): streamed as progress events.
      onProgress: (message) => scan.emitEvent('progress', { id: scan.id, message }),
      timeoutMs: this.o.scanTimeoutMs,
      ...(this.o.cacheDir ? { cacheDir: this.o.cacheDir } : {}),
    });
  }
}

/** The report input of a vetted package: its report with the catalogue's rule metadata, without code excerpts. */
export function packageReportInput(report: ReportInput['report']): ReportInput {
  return {
    report,
    rules: ruleCatalogue().map((r) => ruleMetaOf(r)),
    excerptsOmitted: 'Code excerpts are not shown: the package was read by the vetting service, not from this disk.',
  };
}
