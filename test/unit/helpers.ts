// Shared by the unit tests: scanning a text with a bare engine (no project, no suppression), the way production
// code drives it: one detector context per document, created and disposed around the scan.
import { createDetectContext } from '../../server/core/context';
import { classifyPath } from '../../server/core/fileKinds';
import type { WorkspaceFacts } from '../../server/core/rule';
import type { DocumentResult, Engine } from '../../server/engine/engine';

/** Scans `text` as the file `path` (classified from the path); a path the scanner does not read yields nothing. */
export function scanText(engine: Engine, path: string, text: string, workspace: WorkspaceFacts = {}): DocumentResult {
  const kind = classifyPath(path);
  if (!kind) return { findings: [], errors: [], kind };
  const { ctx, dispose } = createDetectContext(engine.backend, path, text, kind, workspace);
  try {
    return engine.scan(ctx);
  } finally {
    dispose();
  }
}
