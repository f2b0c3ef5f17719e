/**
 * The CodeLens above each MCP tool's registration: what the tool can do, read back from the capability findings of
 * the document's latest scan ("runs shell · reads files · argument-controlled"). The lens is computed on this
 * thread from findings the workers already produced, so it costs no parse; when a scan changes a document's lenses
 * the server asks the client to refresh them (`workspace/codeLens/refresh`, when the client supports it).
 */
import type { CodeLens, Connection } from 'vscode-languageserver/node';
import { capabilityOfRule, capabilitySummary, groupInventory } from '../../shared/capabilities';
import type { Finding } from '../../shared/types';

/** The lenses of one document's findings: one per tool with at least one unsuppressed capability finding. */
export function codeLensesFor(findings: readonly Finding[]): CodeLens[] {
  const out: CodeLens[] = [];
  for (const server of groupInventory(findings.filter((f) => !f.suppressed)))
    for (const t of server.tools) {
      const line = t.registration.range.start.line;
      // A title-only lens (an empty command id): it informs, it has nothing to run.
      out.push({
        range: { start: { line, character: 0 }, end: { line, character: 0 } },
        command: { title: capabilitySummary(t.capabilities), command: '' },
      });
    }
  return out.sort((a, b) => a.range.start.line - b.range.start.line);
}

/**
 * What `codeLensesFor` reads of a list of findings, as one string: each unsuppressed capability finding's rule, the
 * file and line of its registration and its related messages (the tool, its server, the arguments that control it).
 * Equal strings give equal lenses.
 */
function lensInputs(findings: readonly Finding[]): string {
  const parts: string[] = [];
  for (const f of findings) {
    const reg = f.related?.[0];
    if (f.suppressed || !reg || !capabilityOfRule(f.ruleId)) continue;
    parts.push(f.ruleId, reg.file, String(reg.range.start.line));
    for (const r of f.related!) parts.push(r.message);
  }
  return parts.join('\u0000');
}

/** Tracks what each document's lenses were last computed from, to refresh the client's only when that changed. */
export class CodeLensRefresher {
  private readonly last = new Map<string, string>();
  private pending = false;

  constructor(
    private readonly connection: Connection,
    private readonly canRefresh: () => boolean,
  ) {}

  /**
   * A document's findings were published: refresh the client's lenses when what they are computed from changed.
   * The lenses themselves are not computed here: an edit that adds a line moves every lens below it, so the inputs
   * differ after most edits and the client asks for the lenses anyway.
   */
  published(uri: string, findings: readonly Finding[]): void {
    const key = lensInputs(findings);
    if ((this.last.get(uri) ?? '') === key) return;
    if (key === '') this.last.delete(uri);
    else this.last.set(uri, key);
    this.refresh();
  }

  /** Asks the client to refresh every lens (when it supports that), once per turn of the event loop. */
  refresh(): void {
    if (!this.canRefresh() || this.pending) return;
    // One refresh per turn of the event loop, however many documents a workspace scan publishes at once.
    this.pending = true;
    setImmediate(() => {
      this.pending = false;
      void this.connection.sendRequest('workspace/codeLens/refresh').catch(() => undefined);
    });
  }
}
