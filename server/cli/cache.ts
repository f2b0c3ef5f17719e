/**
 * The CLI's result cache: what the batch scan (server/workers/batch.ts) asks before it sends a file to a worker.
 * Entries live in a `ResultStore` (server/cache/store.ts) under keys that name everything a value depends on:
 *
 * - a file's workspace facts: the engine (tool version, the worker bundle's bytes, the regex backend), the file's
 *   path, kind and text;
 * - a file's scan result: the engine, the project (the options the workers open it with, the enabled rules with
 *   their severities, the bytes of the config, ignore, baseline and pin files, which ignore entries have expired by
 *   now), the digest of the whole workspace's facts, and the file's path, kind and text.
 *
 * Keying a result on the whole facts digest is coarse (a change to another file's facts re-scans every file), but it
 * is honest: the facts a file's rules read are not tracked per rule, and a narrower key could serve a stale result.
 */
import { createHash } from 'node:crypto';
import { readFileSync } from 'node:fs';
import type { FileFacts } from '../engine/facts';
import type { Project } from '../engine/project';
import { isExpired } from '../engine/suppress/apply';
import { toolVersion } from '../core/version';
import { digest, ResultStore } from '../cache/store';
import type { DiscoveredFile } from '../discovery/discover';
import { enabledRuleMeta } from '../rules/catalogue';
import type { BatchCache, CachedScan } from '../workers/batch';
import type { ProjectSpec } from '../workers/protocol';

/** The bytes of a file the key depends on, or a marker when there is none (absent and empty must differ). */
function bytesOf(path: string | undefined): string | Buffer {
  if (!path) return '\0none';
  try {
    return readFileSync(path);
  } catch (e) {
    return `\0unreadable:${(e as NodeJS.ErrnoException).code ?? ''}`;
  }
}

/** What the cache of one scan is built from. */
export interface ScanCacheOptions {
  /** The store to read and write. */
  store: ResultStore;
  /** The project the files are scanned in (opened on the CLI's thread with the same options as the workers'). */
  project: Project;
  /** The options the workers open the project with. */
  spec: ProjectSpec;
  /** The worker bundle the files are scanned by: its bytes stand for the engine's code. */
  workerScript: string;
  /** The clock the ignore entries expire by (the spec's, else now). */
  now?: Date;
}

/** A `BatchCache` over a store, keyed as the module comment says. */
export function scanCache(o: ScanCacheOptions): BatchCache {
  const { store, project } = o;
  const engine = digest(toolVersion(), bytesOf(o.workerScript), project.engine.backend.name);
  const now = o.now ?? new Date();
  const rules = enabledRuleMeta(project.engine.rules, (r) => project.engine.severityOf(r));
  const projectKey = digest(
    engine,
    JSON.stringify(o.spec),
    JSON.stringify(rules),
    JSON.stringify(project.config),
    String(project.includeTests),
    bytesOf(project.configFile),
    bytesOf(project.ignoreFile),
    bytesOf(project.baselineFile),
    bytesOf(project.pinFile),
    // An ignore entry that expires changes the findings from that moment on, with no file changing.
    JSON.stringify(project.suppression.ignore.map((e) => (e.expires ? isExpired(e.expires, now) : null))),
  );
  let factsKey: string | undefined;
  const factsEntry = (f: DiscoveredFile, text: string) => digest('facts', engine, f.file, f.kind ?? '', text);
  const resultEntry = (f: DiscoveredFile, text: string) => {
    if (factsKey === undefined) throw new Error('the result cache was asked for a result before the facts were known');
    return digest('scan', projectKey, factsKey, f.file, f.kind ?? '', text);
  };
  return {
    facts: (f, text) => store.get<FileFacts | null>(factsEntry(f, text)),
    storeFacts: (f, text, facts) => store.put(factsEntry(f, text), facts),
    useFacts: (perFile) => {
      // Entry by entry, each with its length as `digest` prefixes its parts: the JSON of the whole index at once is
      // a string as large as the index (about 19 MB on the 100k-file bench tree), made at the merge, which is the
      // peak of a large scan's memory.
      const h = createHash('sha256');
      for (const entry of Object.entries(perFile)) {
        const bytes = Buffer.from(JSON.stringify(entry), 'utf8');
        h.update(`${bytes.length}:`);
        h.update(bytes);
      }
      factsKey = h.digest('hex');
    },
    result: (f, text) => {
      const r = store.get<CachedScan>(resultEntry(f, text));
      // An entry of the right key but the wrong shape (edited by hand) is a miss, rewritten by this scan.
      return r && Array.isArray(r.findings) && Array.isArray(r.errors) ? r : undefined;
    },
    storeResult: (f, text, result) => store.put(resultEntry(f, text), result),
  };
}
