// Shared by the unit tests: scanning a text with a bare engine (no project, no suppression) and reading a text's
// suppression directives, the way production code drives them: one detector context per document, created and
// disposed around the call.
import { mcpMetadataOf } from '../../server/analysis/mcp/extract';
import type { McpMetadata } from '../../server/analysis/mcp/types';
import { createDetectContext } from '../../server/core/context';
import { classifyPath } from '../../server/core/fileKinds';
import type { DetectContext, WorkspaceFacts } from '../../server/core/rule';
import { regexBackend } from '../../server/core/regex';
import type { DocumentResult, Engine } from '../../server/engine/engine';
import { findDirectives, type Directive } from '../../server/engine/suppress/directives';

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

/** The suppression directives of `text` as the file `path`, read through a detector context as the engine does. */
export function directivesIn(path: string, text: string): Directive[] {
  const kind = classifyPath(path);
  if (!kind) return [];
  const { ctx, dispose } = createDetectContext(regexBackend(), path, text, kind);
  try {
    return findDirectives(ctx);
  } finally {
    dispose();
  }
}

/** The MCP metadata of `text` as the file `path`, with a minimal context (extraction reads only path, kind, text and memo). */
export function extractMcp(path: string, text: string): McpMetadata {
  const memo = new Map<string, unknown>();
  const ctx = {
    path,
    kind: classifyPath(path),
    text,
    workspace: {},
    memo: <T>(k: string, f: () => T): T => (memo.has(k) ? (memo.get(k) as T) : (memo.set(k, f()), memo.get(k) as T)),
  } as unknown as DetectContext;
  return mcpMetadataOf(ctx);
}
