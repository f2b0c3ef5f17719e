// The scan service's Fastify application: logging, auth, probes, metrics and the scan routes, over one ScanRunner.
// `startService` builds and listens; the integration tests start it as a child process (dist/cli.js serve) and, for
// package requests with a fake vetting function, in-process.
import Fastify, { type FastifyInstance } from 'fastify';
import multipart from '@fastify/multipart';
import CircuitBreaker from 'opossum';
import { regexBackend, regexBackendLoadError } from '../core/regex';
import { toolVersion } from '../core/version';
import { vetPackage, VetError, type VetOptions } from '../cli/vet';
import { WorkerPool, workerScript } from '../workers/pool';
import { bearerCheck } from './auth';
import { ServiceMetrics } from './metrics';
import type { ServeOptions } from './options';
import { realRoots } from './paths';
import { ScanQueue } from './queue';
import { scanRoutes } from './routes';
import { packageReportInput, ScanFailure, ScanRunner, type VetFunction } from './scans';
import { holdScans, releaseScans, serveTestHooksEnabled } from './testHooks';
import type { Tracing } from './tracing';

/** What the service may be given instead of the real thing (tests). */
export interface ServiceDeps {
  /** The package vetting entry point (default `vetPackage`). */
  vetPackage?: (request: string, options: VetOptions) => ReturnType<typeof vetPackage>;
  /** Where logs go (default stdout, one JSON object a line). */
  logStream?: NodeJS.WritableStream;
  /** Working directory for package requests. */
  cwd?: string;
}

/** A running service. */
export interface Service {
  /** The Fastify app. */
  app: FastifyInstance;
  /** The scans. */
  runner: ScanRunner;
  /** Stops accepting, lets in-flight scans finish until the deadline, cancels the rest, closes. */
  shutdown(deadlineMs: number): Promise<void>;
}

/** Vetting failures that say nothing about the resolver's health (they do not open the circuit). */
const CLIENT_VET_ERRORS = new Set(['not-found', 'limit', 'integrity', 'cancelled', 'offline-miss']);

function vetStatus(e: VetError): number {
  switch (e.code) {
    case 'not-found':
      return 404;
    case 'limit':
      return 413;
    case 'timeout':
      return 504;
    case 'cancelled':
      return 499;
    default:
      return 502;
  }
}

/** `vetPackage` behind a circuit breaker: after repeated resolver failures, package requests fail fast with 503. */
function breakerVet(vet: NonNullable<ServiceDeps['vetPackage']>, metrics: ServiceMetrics): VetFunction {
  const breaker = new CircuitBreaker(vet, {
    timeout: false,
    errorThresholdPercentage: 50,
    volumeThreshold: 5,
    resetTimeout: 30_000,
    errorFilter: (e: unknown) => e instanceof VetError && CLIENT_VET_ERRORS.has(e.code),
  });
  breaker.on('open', () => metrics.breakerOpen.set(1));
  breaker.on('close', () => metrics.breakerOpen.set(0));
  return async (request, options) => {
    try {
      return packageReportInput((await breaker.fire(request, options)).report);
    } catch (e) {
      if (e instanceof VetError) throw new ScanFailure(vetStatus(e), e.message);
      if ((e as { code?: string }).code === 'EOPENBREAKER')
        throw new ScanFailure(503, 'package resolution is failing repeatedly; retry later', 30);
      throw e;
    }
  };
}

/**
 * Readiness: the regex backend loads on this thread (the reports' secret masking needs it) and one worker starts and
 * loads the engine, which proves that the worker bundle, the parsers and the backend work on this install.
 */
async function probeWorkers(): Promise<string> {
  const backend = regexBackend().name;
  await new Promise<void>((resolve, reject) => {
    const pool: WorkerPool = new WorkerPool(workerScript(), 1, {
      onReady: () => void pool.dispose().then(resolve),
      // The pool sets `startFailure` just after it logs its last failed start: look once the log call returns.
      onLog: (m) =>
        setImmediate(() => {
          if (pool.startFailure) void pool.dispose().then(() => reject(new Error(m)));
        }),
    });
  });
  return backend;
}

/** Builds the service (not yet listening). */
export function buildService(opts: ServeOptions, tracing: Tracing, deps: ServiceDeps = {}): Service {
  const metrics = new ServiceMetrics();
  const queue = new ScanQueue(opts.concurrency, opts.queueLength);
  const roots = realRoots(opts.roots);
  const app = Fastify({
    logger: {
      level: 'info',
      ...(deps.logStream ? { stream: deps.logStream } : {}),
      // Headers carry the token: requests are logged by method, URL and id only.
      serializers: {
        req: (r: { method: string; url: string; id: string }) => ({ method: r.method, url: r.url, id: r.id }),
      },
    },
    bodyLimit: Math.max(opts.maxUploadBytes, 1024 * 1024),
    requestIdHeader: false,
    // Keep the body as sent: an unknown field is a mistake worth a 400, not something to drop silently.
    ajv: { customOptions: { removeAdditional: false, coerceTypes: false, useDefaults: false } },
  });
  void app.register(multipart, {
    limits: { fileSize: opts.maxUploadBytes, files: 1, fields: 10, fieldSize: 64 * 1024 },
  });

  const check = bearerCheck(opts.token);
  const open = new Set(['/api/v1/health', '/api/v1/ready']);
  app.addHook('onRequest', async (req, reply) => {
    if (open.has(req.url.split('?')[0]!)) return;
    if (!check(req.headers.authorization))
      return reply.code(401).header('www-authenticate', 'Bearer').send({ error: 'a bearer token is required' });
  });

  const runner = new ScanRunner({
    queue,
    metrics,
    tracer: tracing.tracer,
    vet: breakerVet(deps.vetPackage ?? vetPackage, metrics),
    workersPerScan: opts.workersPerScan,
    scanTimeoutMs: opts.scanTimeoutMs,
    maxFiles: opts.maxFiles,
    maxBytes: opts.maxBytes,
    cwd: deps.cwd ?? process.cwd(),
    ...(opts.cacheDir ? { cacheDir: opts.cacheDir } : {}),
  });

  let state: 'starting' | 'ready' | 'failed' | 'draining' = 'starting';
  let backend = '';
  let failure = '';
  probeWorkers().then(
    (b) => {
      backend = b;
      if (state === 'starting') state = 'ready';
      app.log.info({ event: 'ready', regexBackend: b, regexBackendLoadError: regexBackendLoadError() }, 'ready');
    },
    (e: Error) => {
      state = 'failed';
      failure = e.message;
      app.log.error({ event: 'not-ready' }, `workers could not start: ${e.message}`);
    },
  );

  app.get('/api/v1/health', async () => ({ status: 'ok', version: toolVersion() }));
  app.get('/api/v1/ready', async (_req, reply) =>
    state === 'ready'
      ? { status: 'ready', workers: 'started', regexBackend: backend }
      : reply.code(503).send({ status: state, ...(failure ? { error: failure } : {}) }),
  );
  app.get('/metrics', async (_req, reply) => {
    metrics.queueDepth.set(queue.depth);
    metrics.active.set(queue.active);
    return reply.header('content-type', metrics.registry.contentType).send(await metrics.registry.metrics());
  });
  scanRoutes(app, {
    runner,
    roots,
    maxUploadBytes: opts.maxUploadBytes,
    maxBytes: opts.maxBytes,
    maxFiles: opts.maxFiles,
  });
  if (serveTestHooksEnabled()) {
    app.post('/api/v1/test/hold', async () => (holdScans(), { held: true }));
    app.post('/api/v1/test/release', async () => (releaseScans(), { held: false }));
  }

  return {
    app,
    runner,
    async shutdown(deadlineMs) {
      state = 'draining';
      // Stop accepting first; `close` waits for in-flight requests, so it runs while the scans get their deadline.
      const closed = app.close();
      const inFlight = runner.running();
      app.log.info({ event: 'draining', scans: inFlight.length, deadlineMs }, 'draining');
      const all = Promise.allSettled(inFlight.map((s) => s.result));
      let timer: NodeJS.Timeout | undefined;
      const deadline = new Promise<'late'>((r) => (timer = setTimeout(() => r('late'), deadlineMs)));
      if ((await Promise.race([all.then(() => 'done' as const), deadline])) === 'late') {
        for (const s of runner.running()) s.cancel('shutdown');
        await all;
      }
      clearTimeout(timer);
      // Connections that were busy when `close` began (a stream, a report being sent) are idle by now; without
      // this they would hold the close for the whole keep-alive timeout.
      app.server.closeIdleConnections();
      await closed;
      await tracing.shutdown();
    },
  };
}
