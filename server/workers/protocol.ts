import type { FileKind, Finding, RegexBackendName } from '../../shared/types';
import type { RuleOverrides } from '../engine/engine';
import type { FileFacts } from '../engine/facts';

/** The pool asks a worker to scan one document. */
export interface ScanJobMessage {
  /** Message discriminator. */
  type: 'scan';
  /** Job id, echoed in the result. */
  id: number;
  /** Absolute project root (the workspace folder, or the file's directory outside any folder). */
  root: string;
  /** Path relative to `root`, forward slashes. */
  file: string;
  /** Document text. */
  text: string;
  /** Explicit file kind (e.g. from the editor's language id), else classified from the path. */
  kind?: FileKind;
  /** Severity overrides from editor settings. */
  overrides: RuleOverrides;
  /** Project config file to use instead of `<root>/.mcp-sentinel.json` (from the `configFile` setting). */
  configPath?: string;
  /**
   * Bumped by the server whenever a project config, ignore file or baseline changes: a worker reopens the project
   * when the epoch differs from the one it cached.
   */
  epoch: number;
  /**
   * `scan` (the default) runs the rules; `facts` only extracts the file's own workspace facts (the language server's
   * first pass of a workspace scan, so that every file is then scanned knowing the tools of the others).
   */
  mode?: 'scan' | 'facts';
  /**
   * The workspace facts the server knows for the root, by root-relative file: the worker replaces this file's entry
   * with facts from `text` and merges them (`mergeFacts`), as the CLI does over the files it discovered.
   */
  facts?: Record<string, FileFacts>;
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
  /** The document's own workspace facts (tools and servers it defines), absent when it defines none. */
  facts?: FileFacts;
}

/** A scan that failed inside the worker without killing it (e.g. a broken project config). */
export interface ScanErrorMessage {
  /** Message discriminator. */
  type: 'error';
  /** The job id. */
  id: number;
  /** What went wrong. */
  message: string;
}

/** Sent once a worker has loaded its parsers and regex backend and can take jobs. */
export interface ReadyMessage {
  /** Message discriminator. */
  type: 'ready';
  /** The regex backend the worker runs. */
  backend: RegexBackendName;
  /** Why re2 did not load, when it did not. */
  backendReason?: string;
}

/** Every message a worker posts to the pool. */
export type WorkerToPool = ScanResultMessage | ScanErrorMessage | ReadyMessage;
