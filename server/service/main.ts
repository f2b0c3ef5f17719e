// `mcp-sentinel serve` (bundled to dist/serve.js, loaded by the CLI only for this verb, so that `--version` and
// `scan` do not compile Fastify, prom-client and OpenTelemetry). Resolves with the exit code once the service has
// shut down: 0 after SIGTERM/SIGINT and a drain, 2 when it cannot start.
import { defaultCacheDir } from '../cache/store';
import { buildService } from './app';
import { parseServeArgs, SERVE_HELP, ServeConfigError } from './options';
import { releaseScans, serveTestHooksEnabled } from './testHooks';
import { setUpTracing } from './tracing';

/** Where `serve` writes its usage and one-line errors, and what it reads. */
export interface ServeIo {
  /** stdout (the help text; logs go to stdout as JSON lines). */
  stdout(s: string): void;
  /** stderr (a refusal to start). */
  stderr(s: string): void;
  /** Environment. */
  env: Record<string, string | undefined>;
  /** Working directory. */
  cwd: string;
}

/** Runs the service until SIGTERM or SIGINT; returns the exit code. */
export async function runServe(argv: readonly string[], io: ServeIo): Promise<number> {
  let opts;
  try {
    opts = parseServeArgs(argv, io.env, io.cwd, defaultCacheDir(io.env));
  } catch (e) {
    if (!(e instanceof ServeConfigError)) throw e;
    io.stderr(`mcp-sentinel serve: ${e.message}\n`);
    return 2;
  }
  if (opts === 'help') {
    io.stdout(SERVE_HELP);
    return 0;
  }
  let service;
  try {
    service = buildService(opts, setUpTracing(io.env), { cwd: io.cwd });
    await service.app.listen({ host: opts.host, port: opts.port });
  } catch (e) {
    io.stderr(`mcp-sentinel serve: ${e instanceof Error ? e.message : String(e)}\n`);
    await service?.app.close();
    return 2;
  }
  const address = service.app.server.address();
  const port = typeof address === 'object' && address ? address.port : opts.port;
  service.app.log.info(
    { event: 'listening', host: opts.host, port, roots: opts.roots.length, auth: !!opts.token },
    'listening',
  );
  const svc = service;
  return new Promise<number>((resolve) => {
    let stopping = false;
    const stop = (signal: string) => {
      if (stopping) return;
      stopping = true;
      svc.app.log.info({ event: 'signal', signal }, `received ${signal}`);
      svc.shutdown(opts.shutdownMs).then(
        () => resolve(0),
        (e: unknown) => {
          svc.app.log.error({ event: 'shutdown-failed' }, String(e));
          resolve(1);
        },
      );
    };
    process.once('SIGTERM', () => stop('SIGTERM'));
    process.once('SIGINT', () => stop('SIGINT'));
    if (serveTestHooksEnabled()) process.on('SIGUSR2', releaseScans);
  });
}
