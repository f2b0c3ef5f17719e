import type { FileKind } from '../../shared/types';
import type { RegexBackend, ScanText } from './regex';
import { compileCached, type DetectContext, type WorkspaceFacts } from './rule';
import { LineIndex } from './text';

/**
 * Builds the detector context of one document: what `Engine.scan` runs the rules on, and what the workspace-facts
 * pass and the suppression pass read, so one document is indexed and parsed once. Call `dispose` when done: it
 * frees what the memo holds (parse trees live in WebAssembly memory that the garbage collector cannot see).
 * `lines` may be passed when the caller has the line index of a text with the same line breaks.
 */
export function createDetectContext(
  backend: RegexBackend,
  file: string,
  text: string,
  kind: FileKind,
  workspace: WorkspaceFacts = {},
  lines: LineIndex = new LineIndex(text),
): { ctx: DetectContext; dispose(): void } {
  const memo = new Map<string, unknown>();
  let doc: ScanText | undefined;
  const ctx: DetectContext = {
    path: file,
    kind,
    text,
    // Prepared on first use: a context whose rules read only the parse tree (the reduced documents of the editor's
    // tool edits) never pays for the regex backend's copy of the text.
    get doc(): ScanText {
      return (doc ??= backend.prepare(text));
    },
    lines,
    regex: backend,
    workspace,
    re: (source, flags) => compileCached(backend, source, flags),
    memo<T>(key: string, compute: () => T): T {
      if (!memo.has(key)) memo.set(key, compute());
      return memo.get(key) as T;
    },
  };
  const dispose = (): void => {
    for (const v of memo.values()) {
      const d = (v as { delete?: unknown } | null)?.delete;
      if (typeof d === 'function') d.call(v);
    }
    memo.clear();
  };
  return { ctx, dispose };
}
