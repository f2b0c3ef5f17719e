/**
 * Cheap files stay cheap: most files of a real tree (a library's modules, the Python standard library) hold no MCP
 * marker, no sink name and no secret keyword. For such a file the scan's answer is known before any parse: no rule
 * would run, so there is no finding. The batch scan asks `isCheap` on the front end's thread, with one pass of the
 * engine's keyword prefilter over the text (an RE2.Set under re2, the same job done by the linear JS backend
 * otherwise), and such a file never crosses to a worker, which would otherwise at least parse it for its own facts.
 *
 * A file is cheap only when every way to a finding is ruled out, so that its result is exactly the worker's:
 * - no enabled rule for its kind has a keyword in it, and none runs without keywords (`Engine.mayReport`);
 * - it holds no suppression directive (a directive can yield meta findings on its own: unused, without reason);
 * - no MCP tool of another file reaches it (the capability rules then run on it whatever its words);
 * - it is not one of the project's own files (config, ignore file, baseline, pins), where expired ignore entries
 *   are reported;
 * - it nests no deeper than the analyses accept (the worker reports such a file as skipped, and so does the batch);
 * - the workers' test hooks are off (their markers make a worker crash or stall on purpose).
 */
import { relative, sep } from 'node:path';
import type { FileKind } from '../../shared/types';
import { nestingProblem } from '../core/depth';
import type { CrossFileFacts } from '../engine/facts';
import type { Project } from '../engine/project';
import { DIRECTIVE } from '../rules/meta';
import { testHooksEnabled } from './testHooks';

/** The check of one scan: told the workspace facts once, then asked about each file. */
export interface CheapFileCheck {
  /** The merged workspace facts every file is scanned with (which files the tools of others reach). */
  useFacts(merged: CrossFileFacts): void;
  /**
   * Why the file's result is known without a worker: `{ reason }` when it must be listed as skipped (nested too
   * deep), `{}` when it is scanned with no finding; undefined when it must go to a worker.
   */
  answer(file: string, text: string, kind: FileKind | undefined): { reason?: string } | undefined;
}

/** The cheap-file check for a project opened on the front end's thread with the workers' options. */
export function cheapFileCheck(project: Project): CheapFileCheck | undefined {
  if (testHooksEnabled()) return undefined;
  const own = new Set(
    [project.configFile, project.ignoreFile, project.baselineFile, project.pinFile]
      .filter((p): p is string => !!p)
      .map((p) => relative(project.root, p).split(sep).join('/')),
  );
  let reached: ReadonlySet<string> = new Set();
  return {
    useFacts(merged) {
      reached = new Set(merged.toolReach?.keys() ?? []);
    },
    answer(file, text, kind) {
      if (!kind || own.has(file) || text.includes(DIRECTIVE)) return undefined;
      if (project.engine.mayReport(kind, project.engine.backend.prepare(text), file, text)) return undefined;
      if (reached.has(file)) return undefined;
      const tooDeep = nestingProblem(kind, text);
      return tooDeep ? { reason: tooDeep } : {};
    },
  };
}
