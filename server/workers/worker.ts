/**
 * A detection worker (dist/worker.js), run by the pool of the language server and of the CLI in a worker_thread. It
 * holds one project engine per root and options for its whole life, so tree-sitter and the compiled rules load
 * once, and scans with `openProject` + `scanDocument`: the same entry point as the CLI's in-process path, which
 * keeps every front end in agreement.
 */
import { getHeapStatistics } from 'node:v8';
import { parentPort } from 'node:worker_threads';
import { adoptTree, grammarOfContext, initParsers, parserMemoryBytes } from '../analysis/parse';
import { createDetectContext } from '../core/context';
import { LineIndex } from '../core/text';
import type { DetectContext } from '../core/rule';
import { nestingProblem } from '../core/depth';
import type { DocumentResult } from '../engine/engine';
import { classifyPath } from '../core/fileKinds';
import { openProject, scanDocument, type Project } from '../engine/project';
import { regexBackend, regexBackendLoadError } from '../core/regex';
import { watchFacts, type FactRead } from '../engine/factReads';
import { factsOfFile, mergeFacts, type CrossFileFacts, type FileFacts } from '../engine/facts';
import { cachedDetector, maskSecretsIn, redactFinding } from '../reports/redact';
import { secretDetector } from '../rules/secretDetector';
import { DocumentStates, type ParseWay } from './docState';
import { ResultSender } from './resultDeltas';
import { UnitResults, type UnitRun } from '../engine/incremental/cache';
import { testHookRules, runTestHooks, testHooksEnabled } from './testHooks';
import {
  sameFileFacts,
  type DocumentChanges,
  type FactsMessage,
  type FileSlice,
  type PoolToWorker,
  type ScanJobMessage,
  type WorkerMemory,
  type WorkerToPool,
} from './protocol';

/** Secret masking of what leaves the worker: names in messages can hold a token that a rule flagged elsewhere. */
const secrets = cachedDetector(secretDetector());

/** The editor documents this worker owns: their last text and tree, for incremental re-parsing. */
const documents = new DocumentStates();

/** The same documents' last results, reused across edits that cannot change them (engine/incremental/). */
const unitResults = new UnitResults();

/** The same documents' last results as sent, so that the next one crosses to the pool as changes (resultDeltas.ts). */
const sentResults = new ResultSender();

const port = parentPort;
if (!port) throw new Error('dist/worker.js must run in a worker thread');

/** Projects by spec and epoch: settings can differ per folder, and a settings change yields a new engine. */
const projects = new Map<string, Promise<Project>>();

function projectFor(job: ScanJobMessage): Promise<Project> {
  const spec = job.project;
  const key = [JSON.stringify(spec), job.epoch].join('\0');
  let p = projects.get(key);
  if (!p) {
    // Projects of older epochs are stale (their config or ignore file changed): drop them.
    for (const k of projects.keys()) if (!k.endsWith('\0' + job.epoch)) projects.delete(k);
    // Config errors never stop a worker: the front end has decided before sending the job whether they stop the
    // scan (the CLI exits on them), so here the valid parts are used, as the editor shows them.
    p = openProject(spec.root, {
      overrides: spec.overrides,
      extraRules: spec.testHookRules && testHooksEnabled() ? testHookRules() : [],
      onConfigError: 'collect',
      ...(spec.configPath ? { configPath: spec.configPath } : {}),
      ...(spec.baselinePath ? { baselinePath: spec.baselinePath } : {}),
      ...(spec.skipBaseline ? { skipBaseline: true } : {}),
      ...(spec.now ? { now: spec.now } : {}),
      ...(spec.includeTests ? { includeTests: true } : {}),
      ...(spec.includeTestsSetting !== undefined ? { includeTestsSetting: spec.includeTestsSetting } : {}),
    });
    // A failed open (e.g. an unreadable config) must not be cached forever: the next job retries.
    p.catch(() => projects.delete(key));
    projects.set(key, p);
  }
  return p;
}

/**
 * The newest workspace facts the pool sent for a root, with their merge (the same for most files), made when a job
 * first needs it: in the editor, the document being edited usually brings facts newer than the index's entry, and
 * its scan merges those instead, so a merge on receipt would be wasted on every edit.
 */
interface RootFacts {
  version: number;
  perFile: Map<string, FileFacts>;
  merged(): CrossFileFacts;
  /** The front end sent only the merge (`FactsMessage.merged`): `perFile` is empty. */
  mergedOnly?: boolean;
}

const factsByRoot = new Map<string, RootFacts>();

function receiveFacts(m: FactsMessage): void {
  let perFile: Map<string, FileFacts>;
  if ('facts' in m) {
    const given = m.merged;
    if (given) {
      factsByRoot.set(m.root, { version: m.version, perFile: new Map(), merged: () => given, mergedOnly: true });
      return;
    }
    perFile = new Map(Object.entries(m.facts));
  } else {
    const held = factsByRoot.get(m.root);
    // The pool sends changes only on top of the version it sent this worker last; anything else is lost facts, and
    // the jobs that name this version fail with that reason rather than scan with a wrong index.
    if (held?.version !== m.base) {
      factsByRoot.delete(m.root);
      return;
    }
    // A copy: a job that started on the held version keeps reading it.
    perFile = new Map(held.perFile);
    for (const [file, change] of Object.entries(m.changes)) {
      // The facts of this worker's own last result for a document: it holds them, the pool did not copy them back.
      const f = change && 'ownResult' in change ? sentResults.factsOf(change.ownResult) : { facts: change };
      if (!f) {
        factsByRoot.delete(m.root);
        return;
      }
      if (f.facts) perFile.set(file, f.facts);
      else perFile.delete(file);
    }
  }
  let merged: CrossFileFacts | undefined;
  factsByRoot.set(m.root, { version: m.version, perFile, merged: () => (merged ??= mergeFacts(perFile)) });
}

/**
 * The facts a document is scanned with: the root's, with the document's own entry taken from the text being
 * scanned (the front end's index may be older, e.g. an editor buffer with unsaved changes). When the entry is
 * unchanged, which is the CLI's case for every file, the merge made on receipt is reused.
 */
function factsFor(
  known: RootFacts | undefined,
  file: string,
  own: FileFacts | undefined,
  slice: FileSlice | undefined,
): CrossFileFacts {
  if (known?.mergedOnly) {
    // With the merge only, a document is scanned with the published merge whatever its text holds now: a file that
    // changed after the facts pass cannot be merged again here, and the facts the pass read stand for it. The rules
    // read the per-file fields for the scanned file only: the job brought its values.
    const { entryTaints, toolReach } = slice ?? {};
    return {
      ...known.merged(),
      ...(entryTaints ? { entryTaints: new Map([[file, entryTaints]]) } : {}),
      ...(toolReach ? { toolReach: new Map([[file, toolReach]]) } : {}),
    };
  }
  if (known && sameFileFacts(known.perFile.get(file), own)) return known.merged();
  const perFile = new Map(known?.perFile);
  perFile.delete(file);
  if (own) perFile.set(file, own);
  return mergeFacts(perFile);
}

/** This worker's memory now: V8's counters for its isolate and tree-sitter's WebAssembly memory (microseconds). */
function memoryNow(): WorkerMemory {
  const h = getHeapStatistics();
  return {
    heap: h.total_heap_size,
    heapUsed: h.used_heap_size,
    external: h.external_memory,
    wasm: parserMemoryBytes(),
  };
}

/** Posts a message; every answer to a job and the ready message carry the worker's memory, which the pool watches. */
function post(m: WorkerToPool): void {
  port!.postMessage(m.type === 'started' ? m : { ...m, memory: memoryNow() });
}

async function handle(job: ScanJobMessage): Promise<void> {
  // Taken before any await, so that the facts are the ones the pool sent just before this job.
  const known = job.factsVersion === undefined ? undefined : factsByRoot.get(job.project.root);
  try {
    if (job.factsVersion !== undefined && known?.version !== job.factsVersion)
      throw new Error(`workspace facts version ${job.factsVersion} of ${job.project.root} did not arrive`);
    const project = await projectFor(job);
    post({ type: 'started', id: job.id });
    const t0 = performance.now();
    if (testHooksEnabled() && runTestHooks(job.text)) return;
    const kind = job.kind ?? classifyPath(job.file);
    // A file nested past the analyses' limit is listed as skipped with that reason rather than scanned for nothing:
    // the analyses would refuse its structure anyway, and the report should say why it holds no findings.
    const tooDeep = nestingProblem(kind, job.text);
    if (tooDeep) {
      post({ type: 'skipped', id: job.id, reason: tooDeep });
      return;
    }
    // One detector context per job: the facts, the rules and the suppression comments share one parse and one
    // metadata extraction, which is most of the cost of scanning a large source file.
    const shared = kind ? createDetectContext(project.engine.backend, job.file, job.text, kind) : undefined;
    const parsed = shared && job.document ? adoptDocumentTree(shared.ctx, job.document, job.text) : undefined;
    // An editor document's scan reuses its last results where the edit cannot have changed them. The CLI's batch
    // modes (facts first, scans before the merge) never see the same document twice.
    const units: UnitRun | undefined =
      shared && job.document && (job.mode ?? 'scan') === 'scan'
        ? unitResults.begin(job.document.key, shared.ctx, { engine: project, others: known?.perFile })
        : undefined;
    let own: FileFacts | undefined;
    let res: DocumentResult;
    let reads: FactRead[] | undefined;
    const ruleTimes = job.project.timeRules ? new Map<string, number>() : undefined;
    try {
      // The document's own facts come from the text being scanned, not from the front end's index, unless the
      // index's entry was extracted from this very text (the CLI's facts pass): a second extraction would only
      // repeat the module summary, the most costly part of a large file's scan.
      own =
        job.factsFromText && known && job.mode !== 'facts'
          ? known.perFile.get(job.file)
          : units?.facts
            ? units.facts.facts
            : factsOfFile(
                project.engine.backend,
                job.file,
                job.text,
                kind,
                shared?.ctx,
                job.mode !== 'scan' && job.partialSummary,
              );
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
      // A first job scans before the workspace's facts are merged, with the file's own only, and records what the
      // rules read of them: the batch keeps the result when the merged facts hold the same values there.
      const watched = job.mode === 'first' ? watchFacts(factsFor(undefined, job.file, own, undefined)) : undefined;
      res = scanDocument(project, job.file, job.text, kind, {
        facts: watched?.facts ?? factsFor(known, job.file, own, job.fileFacts),
        ...(shared ? { context: shared.ctx } : {}),
        ...(ruleTimes ? { ruleTimes } : {}),
        ...(units ? { detect: units.detect } : {}),
      });
      units?.finish(own);
      reads = watched?.reads();
    } finally {
      units?.dispose();
      shared?.dispose();
    }
    const findings = res.findings.map((f) => redactFinding(f, secrets));
    // An editor document's result goes as changes to its previous one; the pool restores it (resultDeltas.ts).
    const doc = job.document && (job.mode ?? 'scan') === 'scan' ? job.document.key : undefined;
    post({
      type: 'result',
      id: job.id,
      ...(doc === undefined
        ? { findings }
        : sentResults.encode(doc, job.id, shared?.ctx.lines ?? new LineIndex(job.text), findings, own)),
      errors: res.errors.map((e) => ({ ruleId: e.ruleId, message: maskSecretsIn(e.message, secrets) })),
      ms: performance.now() - t0,
      ...(res.hiddenInTests ? { hiddenInTests: res.hiddenInTests } : {}),
      ...(res.dismissed ? { dismissed: res.dismissed } : {}),
      ...(own && doc === undefined ? { facts: own } : {}),
      ...(reads ? { reads } : {}),
      ...(parsed ? { parsed } : {}),
      ...(ruleTimes?.size ? { ruleMs: Object.fromEntries(ruleTimes) } : {}),
    });
  } catch (e) {
    post({ type: 'error', id: job.id, message: e instanceof Error ? e.message : String(e) });
  }
}

/**
 * Gives an editor document's context the tree re-parsed from the worker's kept version (docState.ts), so the scan
 * does not parse the whole text again. Source files only: other kinds have no tree.
 */
function adoptDocumentTree(ctx: DetectContext, doc: DocumentChanges, text: string): ParseWay | undefined {
  const grammar = ctx.kind === 'js' || ctx.kind === 'python' ? grammarOfContext(ctx) : undefined;
  if (!grammar) return undefined;
  const { tree, way } = documents.treeFor(doc, text, grammar);
  if (adoptTree(ctx, grammar, tree)) return way;
  tree.delete();
  return undefined;
}

port.on('message', (m: PoolToWorker) => {
  if (m.type === 'facts') receiveFacts(m);
  else if (m.type === 'forget') {
    documents.forget(m.key);
    unitResults.forget(m.key);
    sentResults.forget(m.key);
  } else if (m.type === 'prepare') {
    // A re-parse ahead of the scan is only a head start: whatever goes wrong, the scan parses as it always does.
    try {
      // The nesting check the scan starts with is one more pass over the text: its answer is kept for that text.
      if (documents.advance(m.document, m.text, m.grammar))
        nestingProblem(m.grammar === 'python' ? 'python' : 'js', m.text);
    } catch {
      documents.forget(m.document.key);
    }
  } else if (m.type === 'scan') void handle(m);
});

// Load everything before saying ready, so the pool's per-file time budget measures scanning, not start-up.
void initParsers().then(() => {
  const backend = regexBackend();
  const reason = regexBackendLoadError();
  post(
    reason ? { type: 'ready', backend: backend.name, backendReason: reason } : { type: 'ready', backend: backend.name },
  );
});
