/**
 * A detection worker (dist/worker.js), run by the language server's pool in a worker_thread. It holds one project
 * engine per root for its whole life, so tree-sitter and the compiled rules load once, and scans with
 * `openProject` + `scanDocument`: the same entry point the CLI uses, which keeps the editor and the CLI in agreement.
 */
import { parentPort } from 'node:worker_threads';
import { initParsers } from '../analysis/parse';
import { createDetectContext } from '../core/context';
import type { DocumentResult } from '../engine/engine';
import { classifyPath } from '../core/fileKinds';
import { openProject, scanDocument, type Project } from '../engine/project';
import { regexBackend, regexBackendLoadError } from '../core/regex';
import { factsOfFile, mergeFacts, type FileFacts } from '../engine/facts';
import { testHookRules, runTestHooks, testHooksEnabled } from './testHooks';
import type { ScanJobMessage, WorkerToPool } from './protocol';

const port = parentPort;
if (!port) throw new Error('dist/worker.js must run in a worker thread');

/** Projects by root and overrides: settings can differ per folder, and a settings change yields a new engine. */
const projects = new Map<string, Promise<Project>>();

function projectFor(job: ScanJobMessage): Promise<Project> {
  const key = [job.root, JSON.stringify(job.overrides), job.configPath ?? '', job.epoch].join('\0');
  let p = projects.get(key);
  if (!p) {
    // Projects of older epochs are stale (their config or ignore file changed): drop them.
    for (const k of projects.keys()) if (!k.endsWith('\0' + job.epoch)) projects.delete(k);
    // The editor keeps scanning with the valid parts of a broken config (`collect`), unlike the CLI, which stops.
    p = openProject(job.root, {
      overrides: job.overrides,
      extraRules: testHooksEnabled() ? testHookRules() : [],
      onConfigError: 'collect',
      ...(job.configPath ? { configPath: job.configPath } : {}),
    });
    // A failed open (e.g. an unreadable config) must not be cached forever: the next job retries.
    p.catch(() => projects.delete(key));
    projects.set(key, p);
  }
  return p;
}

function post(m: WorkerToPool): void {
  port!.postMessage(m);
}

async function handle(job: ScanJobMessage): Promise<void> {
  try {
    const project = await projectFor(job);
    const t0 = performance.now();
    if (testHooksEnabled() && runTestHooks(job.text)) return;
    const kind = job.kind ?? classifyPath(job.file);
    // One detector context per job: the facts, the rules and the suppression comments share one parse and one
    // metadata extraction, which is most of the cost of scanning a large source file.
    const shared = kind ? createDetectContext(project.engine.backend, job.file, job.text, kind) : undefined;
    let own: FileFacts | undefined;
    let res: DocumentResult;
    try {
      // The document's own facts come from the text being scanned, not from the server's index (which may be older).
      own = factsOfFile(project.engine.backend, job.file, job.text, kind, shared?.ctx);
      if (job.mode === 'facts') {
        post({
          type: 'result',
          id: job.id,
          findings: [],
          errors: [],
          ms: performance.now() - t0,
          ...(own ? { facts: own } : {}),
        });
        return;
      }
      const perFile = new Map<string, FileFacts>(Object.entries(job.facts ?? {}));
      perFile.delete(job.file);
      if (own) perFile.set(job.file, own);
      res = scanDocument(project, job.file, job.text, kind, {
        facts: mergeFacts(perFile),
        ...(shared ? { context: shared.ctx } : {}),
      });
    } finally {
      shared?.dispose();
    }
    post({
      type: 'result',
      id: job.id,
      findings: res.findings,
      errors: res.errors.map((e) => ({ ruleId: e.ruleId, message: e.message })),
      ms: performance.now() - t0,
      ...(own ? { facts: own } : {}),
    });
  } catch (e) {
    post({ type: 'error', id: job.id, message: e instanceof Error ? e.message : String(e) });
  }
}

port.on('message', (m: ScanJobMessage) => {
  if (m.type === 'scan') void handle(m);
});

// Load everything before saying ready, so the pool's per-file time budget measures scanning, not start-up.
void initParsers().then(() => {
  const backend = regexBackend();
  const reason = regexBackendLoadError();
  post(
    reason ? { type: 'ready', backend: backend.name, backendReason: reason } : { type: 'ready', backend: backend.name },
  );
});
