/**
 * The CodeLens above each MCP tool's registration: what the tool can do, read back from the capability findings of
 * the document's latest scan ("runs shell · reads files · argument-controlled"). The lens is computed on this
 * thread from findings the workers already produced, so it costs no parse; when a scan changes a document's lenses
 * the server asks the client to refresh them (`workspace/codeLens/refresh`, when the client supports it).
 */
import type { CodeLens, Connection } from 'vscode-languageserver/node';
import { capabilitySummary, groupInventory } from '../../shared/capabilities';
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

/** Tracks the lenses last computed per document, to refresh the client's only when they changed. */
export class CodeLensRefresher {
  private readonly last = new Map<string, string>();
  private pending = false;

  constructor(
    private readonly connection: Connection,
    private readonly canRefresh: () => boolean,
  ) {}

  /** A document's findings were published: refresh the client's lenses when this document's changed. */
  published(uri: string, findings: readonly Finding[]): void {
    const key = JSON.stringify(codeLensesFor(findings));
    if (this.last.get(uri) === key) return;
    if (key === '[]') this.last.delete(uri);
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
