// Prometheus metrics (prom-client) in a registry of the service's own. Labels are closed sets only (outcome,
// severity, category, format, source kind): never a path, a rule message, source text or a secret.
import { collectDefaultMetrics, Counter, Gauge, Histogram, Registry } from 'prom-client';
import type { JsonReport } from '../reports/model';

/** How a scan request ended. */
export type ScanOutcomeLabel = 'ok' | 'cancelled' | 'timeout' | 'rejected' | 'refused' | 'error';

/** The service's metrics and the registry `/metrics` renders. */
export class ServiceMetrics {
  /** The registry (default process metrics included: memory, CPU, event-loop lag, handles). */
  readonly registry = new Registry();
  /** Scans by outcome and request source (path, package, upload). */
  readonly scans = new Counter({
    name: 'mcp_sentinel_scans_total',
    help: 'Scan requests by outcome (ok, cancelled, timeout, rejected by a full queue, refused input, error) and source.',
    labelNames: ['outcome', 'source'] as const,
    registers: [this.registry],
  });
  /** Files scanned. */
  readonly files = new Counter({
    name: 'mcp_sentinel_files_processed_total',
    help: 'Files scanned (answered by a worker, the cache or the cheap-file check).',
    registers: [this.registry],
  });
  /** Files skipped (unreadable, over the time budget, worker crash). */
  readonly skipped = new Counter({
    name: 'mcp_sentinel_files_skipped_total',
    help: 'Files listed as skipped in a report.',
    registers: [this.registry],
  });
  /** Unsuppressed findings by severity and category. */
  readonly findings = new Counter({
    name: 'mcp_sentinel_findings_total',
    help: 'Unsuppressed findings reported, by severity and category.',
    labelNames: ['severity', 'category'] as const,
    registers: [this.registry],
  });
  /** Scan duration. */
  readonly duration = new Histogram({
    name: 'mcp_sentinel_scan_duration_seconds',
    help: 'Wall-clock time of a scan from its start (after queueing) to its report.',
    labelNames: ['outcome'] as const,
    buckets: [0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30, 60, 120],
    registers: [this.registry],
  });
  /** Time spent waiting for a slot. */
  readonly queueWait = new Histogram({
    name: 'mcp_sentinel_queue_wait_seconds',
    help: 'Time a scan waited in the queue for a slot.',
    buckets: [0.001, 0.01, 0.05, 0.1, 0.5, 1, 5, 30],
    registers: [this.registry],
  });
  /** Scans waiting. */
  readonly queueDepth = new Gauge({
    name: 'mcp_sentinel_queue_depth',
    help: 'Scans waiting for a slot.',
    registers: [this.registry],
  });
  /** Scans running. */
  readonly active = new Gauge({
    name: 'mcp_sentinel_scans_active',
    help: 'Scans holding a slot.',
    registers: [this.registry],
  });
  /** Workers replaced because one crashed or exceeded the per-file time budget. */
  readonly workerRestarts = new Counter({
    name: 'mcp_sentinel_worker_restarts_total',
    help: 'Workers terminated and replaced after a crash or a per-file time budget overrun.',
    labelNames: ['reason'] as const,
    registers: [this.registry],
  });
  /** Detector time per rule, summed over the files workers scanned (cached and cheap files ran no detector). */
  readonly ruleSeconds = new Counter({
    name: 'mcp_sentinel_rule_seconds_total',
    help: "Time spent in each rule's detector, in seconds, summed over scanned files.",
    labelNames: ['rule'] as const,
    registers: [this.registry],
  });
  /** Package resolver circuit breaker state. */
  readonly breakerOpen = new Gauge({
    name: 'mcp_sentinel_package_breaker_open',
    help: '1 while the package resolver circuit breaker is open (package requests answered 503).',
    registers: [this.registry],
  });

  /** Creates the metrics with the default process metrics. */
  constructor() {
    collectDefaultMetrics({ register: this.registry, prefix: 'mcp_sentinel_' });
  }

  /** Counts a finished report's files and findings. */
  recordReport(report: JsonReport): void {
    this.files.inc(report.stats.filesScanned);
    this.skipped.inc(report.skipped.length);
    for (const f of report.findings)
      if (!f.suppressed) this.findings.inc({ severity: f.severity, category: f.category });
  }

  /** Adds one file's detector times (milliseconds by rule id: a closed set, the rule catalogue's ids). */
  recordRuleTimes(ruleMs: Readonly<Record<string, number>>): void {
    for (const [rule, ms] of Object.entries(ruleMs)) this.ruleSeconds.inc({ rule }, ms / 1000);
  }

  /** Counts a per-file result that cost a worker (a crash or a time budget overrun). */
  recordSkipReason(reason: string): void {
    if (/time budget/.test(reason)) this.workerRestarts.inc({ reason: 'timeout' });
    else if (/crashed|exited unexpectedly/.test(reason)) this.workerRestarts.inc({ reason: 'crash' });
  }
}
