import type { FileKind, Finding, RegexBackendName } from '../../shared/types';
import type { DismissedCandidate, RuleOverrides } from '../engine/engine';
import type { FactRead } from '../engine/factReads';
import type { CrossFileFacts, FileFacts } from '../engine/facts';
import type { EntryTaint, ToolReach } from '../core/rule';
import { samePlainData } from '../core/plainData';
import type { ResultDelta, RestoredFrom } from './resultDeltas';
import type { Grammar } from '../analysis/parse';
import type { ParseWay } from './docState';

/** The fields of the merged facts that every file's scan reads whole (`FactsMessage.merged`). */
export type GlobalFacts = Pick<CrossFileFacts, 'toolNames' | 'serverNames'>;

/**
 * How a worker opens the project a job belongs to: the options of `openProject` that are plain data. Functions
 * (extra rules) cannot cross a thread boundary, which is why a front end with extra rules scans in-process. The
 * worker always opens with `onConfigError: 'collect'`: whether config errors stop a scan is decided by the front
 * end before it sends any job (the CLI validates on its own thread and exits 2; the editor shows the errors).
 */
export interface ProjectSpec {
  /** Absolute project root (the workspace folder, or the file's directory outside any folder). */
  root: string;
  /** Severity overrides (editor settings, or the CLI's project options). */
  overrides: RuleOverrides;
  /** Project config file to use instead of `<root>/.mcp-sentinel.json` (`--config`, or the `configFile` setting). */
  configPath?: string;
  /** Baseline file that wins over the config's (`--baseline`). */
  baselinePath?: string;
  /** No baseline at all (the CLI's `baseline` verb records today's findings whole). */
  skipBaseline?: boolean;
  /** The clock for ignore-entry expiry, when the front end fixed one (tests). */
  now?: Date;
  /** Add the test-hook rule (`testHooks.ts`); honoured only when the test hooks are switched on. */
  testHookRules?: boolean;
  /** The CLI's `--include-tests` (wins over the config's `includeTests`). */
  includeTests?: boolean;
  /** The editor's `mcpSentinel.includeTests` setting (applies when the config does not say). */
  includeTestsSetting?: boolean;
  /** Time each rule's detector and return the times with each result (`ScanResultMessage.ruleMs`). */
  timeRules?: boolean;
}

/** The pool asks a worker to scan one document. */
export interface ScanJobMessage {
  /** Message discriminator. */
  type: 'scan';
  /** Job id, echoed in the result. */
  id: number;
  /** The project the document belongs to. */
  project: ProjectSpec;
  /** Path relative to the project root, forward slashes. */
  file: string;
  /** Document text. */
  text: string;
  /** Explicit file kind (e.g. from the editor's language id), else classified from the path. */
  kind?: FileKind;
  /**
   * Bumped by the server whenever a project config, ignore file or baseline changes: a worker reopens the project
   * when the epoch differs from the one it cached.
   */
  epoch: number;
  /**
   * `scan` (the default) runs the rules; `facts` only extracts the file's own workspace facts (the first pass of a
   * workspace scan, so that every file is then scanned knowing the tools of the others); `first` does both from one
   * parse, the scan knowing only the file's own facts, and reports which cross-file facts the rules read (`reads`),
   * so that the batch scans the file again only when the merged facts differ there.
   */
  mode?: 'scan' | 'facts' | 'first';
  /**
   * The version of the root's workspace facts (`FactsMessage`) to scan with; the pool sends that message to the
   * worker before the job. Absent when the front end published no facts for the root: the document then only
   * knows its own.
   */
  factsVersion?: number;
  /**
   * The facts the front end published for the root hold this file's entry as extracted from this very text (the
   * CLI's facts pass read the same bytes): the worker takes the file's own facts from them instead of extracting
   * them again, which would summarise every function of the file a second time. Absent when the text may differ
   * (an editor buffer), and then the worker extracts them from the text.
   */
  factsFromText?: boolean;
  /**
   * For a `facts` or `first` job: extract a partial module summary (only the edges of tool handlers; the batch scan completes
   * the summaries its merge reads, engine/partialFacts.ts). Absent: the full summary.
   */
  partialSummary?: boolean;
  /**
   * The values of the root's merged facts for this job's file, when the front end published the merge without its
   * per-file fields (`FactsMessage.merged`): the tool inputs that reach the file (`entryTaints`) and the tools that
   * reach its functions (`toolReach`). The rules read those fields for the scanned file only, so a job carries its
   * own values and no worker holds the whole workspace's.
   */
  fileFacts?: FileSlice;
  /**
   * An editor document this job scans: the worker that owns it (the pool sends a key's jobs to one worker) keeps
   * its text and parse tree, and re-parses incrementally from the changes since the version it holds
   * (`docState.ts`). `text` stays the whole truth: a worker without that version (a fresh or replaced worker)
   * parses `text` from scratch.
   */
  document?: DocumentChanges;
}

/** One text change in UTF-16 offsets of the text it applies to: `[start, end)` is replaced by `text`. */
export interface TextChange {
  /** Start offset in the text before this change. */
  start: number;
  /** End offset (exclusive) in the text before this change. */
  end: number;
  /** The inserted text. */
  text: string;
}

/** The edits that turned one version of a document into the next, in the order the editor applied them. */
export interface ChangeStep {
  /** The version the edits apply to. */
  base: number;
  /** The version they produce. */
  version: number;
  /** The edits, each in the offsets of the text the previous one produced. */
  edits: TextChange[];
}

/** The state key of an editor document in its worker, its version, and the change steps that may lead there. */
export interface DocumentChanges {
  /** The document's key (its URI); also the pool's affinity key. */
  key: string;
  /** The version of the job's text. */
  version: number;
  /** Consecutive steps ending at `version`, oldest first; the worker applies those after the version it holds. */
  steps: ChangeStep[];
}

/** The front end closed a document: its owner worker frees the document's text and tree. */
export interface ForgetMessage {
  /** Message discriminator. */
  type: 'forget';
  /** The document's key (`DocumentChanges.key`). */
  key: string;
}

/**
 * The workspace facts of one root, by root-relative file. The pool sends them to a worker once per version, before
 * the first job that needs them, instead of inside every job: a job then costs the size of its document, not the
 * size of the workspace. The worker keeps the newest version per root. A worker that holds an earlier version gets
 * only the entries changed since (`base` and `changes`): in the editor, an edit changes one file's entry, and the
 * whole index would cost the size of the workspace again on every edit.
 */
export type FactsMessage = {
  /** Message discriminator. */
  type: 'facts';
  /** The project root the facts belong to. */
  root: string;
  /** Increases with every change the front end publishes for the root. */
  version: number;
} & (
  | {
      /** Each file's tools and servers; the worker replaces a scanned file's entry with facts from its text. */
      facts: Record<string, FileFacts>;
      /**
       * The merge of every file's facts, made by the front end (the CLI's batch scan), which then sends no per-file
       * entry in `facts`: the entries (module summaries) are tens of megabytes on a large tree, and a batch job's own
       * facts are the published ones (`factsFromText`) or none. The merge's per-file fields (`entryTaints`,
       * `toolReach`) are left out too: each job brings its file's values (`ScanJobMessage.fileFacts`). The worker
       * scans every document with this merge, and fails a job whose text holds facts of its own: the file changed
       * after the facts pass read it, and its scan would need a merge this worker cannot make.
       */
      merged?: GlobalFacts;
    }
  | {
      /** The version the worker holds, which these changes update. */
      base: number;
      /**
       * The entries changed since `base`: new facts, null for a file that no longer has any, or `OwnFacts` for the
       * facts of the worker's own last result for an editor document.
       */
      changes: Record<string, FileFacts | null | OwnFacts>;
    }
);

/**
 * An entry of a facts message that the worker already holds: the facts of its own last result for an editor document
 * (`ResultSender`). After each edit the front end files the document's new facts in its index and publishes it; the
 * entry of a 5,000-line server is about 440 KB, which the pool would otherwise copy back to the worker that made it
 * on every edit, just before the next scan.
 */
export interface OwnFacts {
  /** The document's key. */
  ownResult: string;
}

/** A file's values of the merged facts' per-file fields (`ScanJobMessage.fileFacts`); absent fields hold nothing. */
export interface FileSlice {
  /** `CrossFileFacts.entryTaints` of the file. */
  entryTaints?: readonly EntryTaint[];
  /** `CrossFileFacts.toolReach` of the file. */
  toolReach?: readonly ToolReach[];
}

/**
 * An editor document changed and its scan waits for the debounce: its owner worker re-parses it now, so that the
 * scan finds the tree ready (`DocumentStates.advance`). Nothing is answered.
 */
export interface PrepareMessage {
  /** Message discriminator. */
  type: 'prepare';
  /** The document's key, version and the steps since the version its worker last scanned. */
  document: DocumentChanges;
  /** The text of that version. */
  text: string;
  /** The grammar its scan will parse it with. */
  grammar: Grammar;
}

/** Everything the pool posts to a worker. */
export type PoolToWorker = ScanJobMessage | FactsMessage | ForgetMessage | PrepareMessage;

/**
 * A worker's memory as it reports it with each answer, in bytes: cheap to take (V8's own counters and the size of
 * tree-sitter's WebAssembly memory), and what the pool decides to retire a batch worker on (recycle.ts).
 */
export interface WorkerMemory {
  /** Bytes of V8 heap the worker's isolate has reserved (`total_heap_size`): live objects plus garbage not yet freed. */
  heap: number;
  /** Bytes of that heap in use (`used_heap_size`). */
  heapUsed: number;
  /** Bytes held outside the heap by objects of the isolate (`external_memory`: buffers, typed arrays). */
  external: number;
  /** Bytes of tree-sitter's WebAssembly memory: it grows to the largest parse and never shrinks. */
  wasm: number;
}

/** A worker's answer to one scan. */
export interface ScanResultMessage {
  /** Message discriminator. */
  type: 'result';
  /** The job id. */
  id: number;
  /** Findings, suppressed ones marked. */
  findings: Finding[];
  /** Detector errors (the rest of the document was still scanned). */
  errors: { ruleId: string; message: string }[];
  /** Scan time inside the worker, in milliseconds. */
  ms: number;
  /** Findings left out because the document is test, script or build code; absent when none were. */
  hiddenInTests?: number;
  /** Secret candidates the heuristic rules set aside, masked, with the reason; absent when none were. */
  dismissed?: DismissedCandidate[];
  /** The document's own workspace facts (tools and servers it defines), absent when it defines none. */
  facts?: FileFacts;
  /** Each detector's time in milliseconds by rule id, when the project asked for it (`ProjectSpec.timeRules`). */
  ruleMs?: Record<string, number>;
  /** For a `first` job: the cross-file facts the rules read, with the values they saw (engine/factReads.ts). */
  reads?: FactRead[];
  /**
   * For a job with `document` on a source file: whether the worker reused its kept tree, re-parsed incrementally
   * (during the job, or ahead of it while the debounce ran), or parsed the text from scratch (tests and
   * measurements read it).
   */
  parsed?: ParseWay;
  /** The worker's memory after the job. */
  memory?: WorkerMemory;
  /** For an editor document's job: the document's key (`DocumentChanges.key`). */
  document?: string;
  /**
   * For an editor document's job: the result as changes to the worker's previous result for the document
   * (resultDeltas.ts). The pool restores `findings` and `facts` from it and removes it before anyone reads them.
   */
  delta?: ResultDelta;
  /**
   * Set by the pool, on this thread only, when it restored the result from a delta: the findings of the base and the
   * delta, so that the language server can send the client the same changes (`FileFindingsParams.delta`).
   */
  restoredFrom?: RestoredFrom;
}

/**
 * The worker has its project open and starts on the document itself. The pool restarts the job's time budget
 * here, so that the budget measures the document and not the one-off cost of opening a project on a fresh worker.
 */
export interface StartedMessage {
  /** Message discriminator. */
  type: 'started';
  /** The job id. */
  id: number;
}

/** A scan that failed inside the worker without killing it (e.g. a broken project config). */
export interface ScanErrorMessage {
  /** Message discriminator. */
  type: 'error';
  /** The job id. */
  id: number;
  /** What went wrong. */
  message: string;
  /** The worker's memory after the job. */
  memory?: WorkerMemory;
}

/**
 * The worker refused the document before analysing it, for a reason that is the document's own (it nests deeper
 * than the analyses accept): the job settles as skipped with exactly this reason, as reports list it.
 */
export interface ScanSkippedMessage {
  /** Message discriminator. */
  type: 'skipped';
  /** The job id. */
  id: number;
  /** Why, in the words reports use ("nested deeper than 500 levels"). */
  reason: string;
  /** The worker's memory after the job. */
  memory?: WorkerMemory;
}

/** Sent once a worker has loaded its parsers and regex backend and can take jobs. */
export interface ReadyMessage {
  /** Message discriminator. */
  type: 'ready';
  /** The regex backend the worker runs. */
  backend: RegexBackendName;
  /** Why re2 did not load, when it did not. */
  backendReason?: string;
  /** The worker's memory once loaded: what a fresh worker costs. */
  memory?: WorkerMemory;
}

/** Every message a worker posts to the pool. */
export type WorkerToPool = ScanResultMessage | StartedMessage | ScanErrorMessage | ScanSkippedMessage | ReadyMessage;

/**
 * True when two facts entries of one file name the same tools and servers in the same order and hold equal
 * module summaries and path aliases. The language server
 * publishes its index again only when an entry really changed (a re-scan yields an equal entry as a new object),
 * and a worker reuses the merged facts when a document's own entry is unchanged.
 */
export function sameFileFacts(a: FileFacts | undefined, b: FileFacts | undefined): boolean {
  if (!a || !b) return a === b;
  // Compared by content: a re-scan yields an equal entry as a new object.
  return samePlainData(a, b);
}
