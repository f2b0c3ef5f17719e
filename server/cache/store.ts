/**
 * A content-addressed store of JSON values on disk: the CLI's result cache. A value is filed under the SHA-256 key
 * its caller computed from everything the value depends on, so the store never needs invalidating: a changed input
 * is a different key. Entries are written to a temporary file and renamed into place, so a reader (another run of
 * the scanner at the same time, or this one after a crash) sees a whole entry or none. An entry that cannot be read
 * or parsed, or that names another key, is a miss: the caller computes the value again and its write replaces the
 * bad entry.
 */
import { createHash, randomBytes } from 'node:crypto';
import { mkdirSync, readFileSync, renameSync, rmSync, writeFileSync } from 'node:fs';
import { homedir } from 'node:os';
import { join } from 'node:path';

/**
 * The layout version of the entries. Bump it when the stored shape changes; older entries are then never read (they
 * live in another folder), and the user's cache tool or `rm -r` reclaims them.
 */
const LAYOUT = 'v1';

/** SHA-256 hex of the parts, each length-prefixed so that no two lists of parts give the same bytes. */
export function digest(...parts: readonly (string | Uint8Array)[]): string {
  const h = createHash('sha256');
  for (const p of parts) {
    const bytes = typeof p === 'string' ? Buffer.from(p, 'utf8') : p;
    h.update(`${bytes.length}:`);
    h.update(bytes);
  }
  return h.digest('hex');
}

/**
 * The folder the CLI caches in when no `--cache-dir` is given: `$XDG_CACHE_HOME/mcp-sentinel`, else
 * `~/.cache/mcp-sentinel`. Undefined when the environment names no home at all (an in-process caller that passes its
 * own environment, such as a test), and under Node's test runner (which sets `NODE_TEST_CONTEXT` for every process
 * it starts and their children): a test suite that runs the CLI must not fill the user's home, so there the cache is
 * on only with an explicit `--cache-dir`.
 */
export function defaultCacheDir(env: Record<string, string | undefined>): string | undefined {
  if (env.NODE_TEST_CONTEXT) return undefined;
  if (env.XDG_CACHE_HOME) return join(env.XDG_CACHE_HOME, 'mcp-sentinel');
  const home = env.HOME ?? env.USERPROFILE ?? (env === process.env ? homedir() : undefined);
  return home ? join(home, '.cache', 'mcp-sentinel') : undefined;
}

/** How a store was used, for `--verbose` and the tests. */
export interface StoreStats {
  /** Lookups answered from disk. */
  hits: number;
  /** Lookups with no usable entry. */
  misses: number;
  /** Entries that existed but could not be used (unreadable, not JSON, another key): counted in `misses` too. */
  corrupt: number;
  /** Entries written. */
  writes: number;
  /** Writes that failed (a full disk, a read-only folder): the scan goes on without caching them. */
  writeErrors: number;
}

/** One stored entry as it is on disk. The key is repeated inside, so a file moved or truncated to another is caught. */
interface Entry<T> {
  key: string;
  value: T;
}

/**
 * A store in one folder. Lookups and writes are synchronous and small (one file each), and every failure is a miss
 * or a skipped write: the cache makes a scan faster, never different, and never stops it.
 */
export class ResultStore {
  /** Counters since the store was opened. */
  readonly stats: StoreStats = { hits: 0, misses: 0, corrupt: 0, writes: 0, writeErrors: 0 };
  private readonly base: string;
  /** Shard folders known to exist, so that a write costs no mkdir after the first in its folder. */
  private readonly made = new Set<string>();

  constructor(readonly dir: string) {
    this.base = join(dir, LAYOUT);
  }

  /** The path of a key's entry: 256 shard folders, so that no folder holds a whole tree's entries. */
  pathOf(key: string): string {
    return join(this.base, key.slice(0, 2), `${key}.json`);
  }

  /** The value stored under `key`, or undefined (no entry, or one that cannot be used). */
  get<T>(key: string): T | undefined {
    let raw: string;
    try {
      raw = readFileSync(this.pathOf(key), 'utf8');
    } catch {
      this.stats.misses++;
      return undefined;
    }
    try {
      const entry = JSON.parse(raw) as Entry<T>;
      if (entry && typeof entry === 'object' && entry.key === key && 'value' in entry) {
        this.stats.hits++;
        return entry.value;
      }
    } catch {
      // Not JSON: a torn or foreign file. Treated as a miss below and replaced by the next write.
    }
    this.stats.corrupt++;
    this.stats.misses++;
    return undefined;
  }

  /**
   * Stores `value` under `key`: written to a temporary file in the same folder, then renamed over the entry, which
   * is atomic on one file system. Two runs writing the same key write the same bytes, so whichever rename lands
   * last leaves a valid entry.
   */
  put(key: string, value: unknown): void {
    const path = this.pathOf(key);
    const folder = join(this.base, key.slice(0, 2));
    const tmp = `${path}.${process.pid}.${randomBytes(6).toString('hex')}.tmp`;
    try {
      if (!this.made.has(folder)) {
        mkdirSync(folder, { recursive: true });
        this.made.add(folder);
      }
      writeFileSync(tmp, JSON.stringify({ key, value } satisfies Entry<unknown>));
      renameSync(tmp, path);
      this.stats.writes++;
    } catch {
      this.stats.writeErrors++;
      rmSync(tmp, { force: true });
    }
  }
}
