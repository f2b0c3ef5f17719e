// The `serve` command line: where to listen, which folders a request may scan, the token, the cache and the budgets.
// A separate parser from the scan verbs' (server/cli/args.ts) because the options hardly overlap, and a mistake
// here must stop the service before it listens (exit 2) rather than surface in a request.
import { readFileSync } from 'node:fs';
import { isIP } from 'node:net';
import { resolve } from 'node:path';
import { parseArgs } from 'node:util';

/** Everything the service runs with; `parseServeArgs` fills every field. */
export interface ServeOptions {
  /** Interface to listen on (default 127.0.0.1). */
  host: string;
  /** Port (default 8080; 0 picks a free one, which the `listening` log line reports). */
  port: number;
  /** Folders a `path` request may scan, as given (resolved with realpath when the service starts). */
  roots: string[];
  /** The bearer token; required when `host` is not loopback. */
  token?: string;
  /** The result cache's folder; undefined scans without a cache (`--no-cache`). */
  cacheDir?: string;
  /** Scans running at once. */
  concurrency: number;
  /** Scans that may wait for a slot; one more is answered 429. */
  queueLength: number;
  /** Worker threads per scan. */
  workersPerScan: number;
  /** Wall-clock budget of one scan in milliseconds (cancelled past it). */
  scanTimeoutMs: number;
  /** Most files one scan may discover (memory budget); more is refused with 413. */
  maxFiles: number;
  /** Most bytes of discovered files one scan may read (memory budget); more is refused with 413. */
  maxBytes: number;
  /** Largest request body or uploaded archive, in bytes. */
  maxUploadBytes: number;
  /** Time given to in-flight scans on SIGTERM before they are cancelled, in milliseconds. */
  shutdownMs: number;
}

/** A command line the service cannot run with: printed on one line, exit code 2. */
export class ServeConfigError extends Error {}

/** Usage of `mcp-sentinel serve`, printed by `serve --help`. */
export const SERVE_HELP = `Usage: mcp-sentinel serve [options]

Runs the scan service (REST and Server-Sent Events; docs in README.md, "Scan service").

Options:
  --host H                 Interface to listen on (default 127.0.0.1); any other than loopback needs a token
  --port P                 Port (default 8080; 0 picks a free one)
  --root DIR               A folder that path requests may scan (repeatable; none: path requests are refused)
  --token-file FILE        Read the bearer token from FILE (else MCP_SENTINEL_TOKEN_FILE, else MCP_SENTINEL_TOKEN)
  --cache-dir DIR          The result cache's folder (default: the user's cache directory)
  --no-cache               Scan without a result cache
  --concurrency N          Scans at once (default 2)
  --queue N                Scans that may wait; more are answered 429 (default 16)
  --workers-per-scan N     Worker threads per scan (default 1)
  --scan-timeout-ms MS     Time budget of one scan (default 120000)
  --max-files N            Files one scan may read (default 20000)
  --max-bytes N            Bytes one scan may read (default 268435456)
  --max-upload-bytes N     Largest request body or archive (default 52428800)
  --shutdown-ms MS         On SIGTERM, time for in-flight scans before they are cancelled (default 10000)
`;

const INTS: Record<string, [keyof ServeOptions, number, number, number]> = {
  port: ['port', 8080, 0, 65535],
  concurrency: ['concurrency', 2, 1, 64],
  queue: ['queueLength', 16, 0, 10_000],
  'workers-per-scan': ['workersPerScan', 1, 1, 64],
  'scan-timeout-ms': ['scanTimeoutMs', 120_000, 100, 86_400_000],
  'max-files': ['maxFiles', 20_000, 1, 10_000_000],
  'max-bytes': ['maxBytes', 256 * 1024 * 1024, 1, 64 * 1024 ** 3],
  'max-upload-bytes': ['maxUploadBytes', 50 * 1024 * 1024, 1, 4 * 1024 ** 3],
  'shutdown-ms': ['shutdownMs', 10_000, 0, 3_600_000],
};

/** True for an address only this machine can reach (127.0.0.0/8, ::1, localhost). */
export function isLoopback(host: string): boolean {
  const h = host.replace(/^\[|\]$/g, '');
  if (h === 'localhost' || h === '::1') return true;
  return isIP(h) === 4 && h.startsWith('127.');
}

/**
 * Parses `serve`'s arguments and reads the token. The token comes from `--token-file`, else the file named by
 * `MCP_SENTINEL_TOKEN_FILE`, else `MCP_SENTINEL_TOKEN`; a listener off loopback without one is refused here.
 */
export function parseServeArgs(
  argv: readonly string[],
  env: Record<string, string | undefined>,
  cwd: string,
  defaultCacheDir: string | undefined,
): ServeOptions | 'help' {
  let parsed;
  try {
    parsed = parseArgs({
      args: [...argv],
      allowPositionals: false,
      strict: true,
      options: {
        host: { type: 'string' },
        root: { type: 'string', multiple: true },
        'token-file': { type: 'string' },
        'cache-dir': { type: 'string' },
        'no-cache': { type: 'boolean' },
        help: { type: 'boolean', short: 'h' },
        ...Object.fromEntries(Object.keys(INTS).map((k) => [k, { type: 'string' as const }])),
      },
    });
  } catch (e) {
    throw new ServeConfigError((e instanceof Error ? e.message : String(e)).split('\n')[0]!);
  }
  const v = parsed.values as Record<string, string | string[] | boolean | undefined>;
  if (v.help) return 'help';
  const ints = {} as Record<string, number>;
  for (const [flag, [key, def, min, max]] of Object.entries(INTS)) {
    const raw = v[flag] as string | undefined;
    if (raw !== undefined && (!/^\d+$/.test(raw) || Number(raw) < min || Number(raw) > max))
      throw new ServeConfigError(`--${flag} expects a whole number from ${min} to ${max}, got "${raw}"`);
    ints[key] = raw === undefined ? def : Number(raw);
  }
  if (v['cache-dir'] !== undefined && v['no-cache']) throw new ServeConfigError('use either --cache-dir or --no-cache');
  const host = (v.host as string | undefined) ?? '127.0.0.1';
  const token = readToken(v['token-file'] as string | undefined, env, cwd);
  if (!token && !isLoopback(host))
    throw new ServeConfigError(
      `refusing to listen on ${host} without a bearer token: set MCP_SENTINEL_TOKEN, MCP_SENTINEL_TOKEN_FILE or --token-file (only loopback may go without)`,
    );
  return {
    ...(ints as unknown as Pick<ServeOptions, 'port' | 'concurrency' | 'queueLength' | 'workersPerScan'>),
    ...(ints as unknown as Pick<ServeOptions, 'scanTimeoutMs' | 'maxFiles' | 'maxBytes' | 'maxUploadBytes'>),
    shutdownMs: ints.shutdownMs!,
    host,
    roots: ((v.root as string[] | undefined) ?? []).map((r) => resolve(cwd, r)),
    ...(token ? { token } : {}),
    ...(v['no-cache']
      ? {}
      : v['cache-dir']
        ? { cacheDir: resolve(cwd, v['cache-dir'] as string) }
        : defaultCacheDir
          ? { cacheDir: defaultCacheDir }
          : {}),
  };
}

function readToken(file: string | undefined, env: Record<string, string | undefined>, cwd: string): string | undefined {
  const path = file ?? env.MCP_SENTINEL_TOKEN_FILE;
  if (path) {
    let text: string;
    try {
      text = readFileSync(resolve(cwd, path), 'utf8');
    } catch (e) {
      throw new ServeConfigError(`cannot read the token file ${path} (${(e as NodeJS.ErrnoException).code ?? e})`);
    }
    const token = text.trim();
    if (!token) throw new ServeConfigError(`the token file ${path} is empty`);
    return token;
  }
  const token = env.MCP_SENTINEL_TOKEN?.trim();
  return token || undefined;
}
