/**
 * The changes the editor sent for each open document, kept until the worker that owns the document has scanned a
 * version past them: a live scan sends them with the full text, and the worker re-parses incrementally from its
 * kept tree (server/workers/docState.ts). The log sits in the `TextDocuments` update path, so it sees each
 * `didChange` exactly as it is applied, range by range.
 */
import type { TextDocumentContentChangeEvent, TextDocumentsConfiguration } from 'vscode-languageserver/node';
import { TextDocument } from 'vscode-languageserver-textdocument';
import { differingSpan } from '../core/text';
import type { ChangeStep, DocumentChanges, TextChange } from '../workers/protocol';

/**
 * Past this much inserted text in a document's pending steps, the log drops them: a worker then parses the full
 * text, which costs less than replaying that many edits.
 */
const MAX_PENDING_CHARS = 1 << 20;
/** Past this many pending steps (an editor typing while no scan completes), the same. */
const MAX_PENDING_STEPS = 500;

/** Per-document change steps since the last version a worker scanned. */
export class ChangeLog {
  private readonly steps = new Map<string, ChangeStep[]>();

  /**
   * The `TextDocuments` configuration that records every change: `TextDocument.update` applied one change at a
   * time, each change's range turned into offsets of the text it applies to.
   */
  configuration(): TextDocumentsConfiguration<TextDocument> {
    return {
      create: (uri, languageId, version, content) => {
        this.steps.delete(uri);
        return TextDocument.create(uri, languageId, version, content);
      },
      update: (doc, changes, version) => {
        const base = doc.version;
        const edits: TextChange[] = [];
        let current = doc;
        for (const c of changes) {
          edits.push(changeOf(current, c));
          current = TextDocument.update(current, [c], version);
        }
        // A document updated with no change still moves to the new version.
        if (!changes.length) current = TextDocument.update(current, [], version);
        this.record(current.uri, { base, version, edits });
        return current;
      },
    };
  }

  /** The document's key, version and pending steps, for a live scan of its current version. */
  changesOf(doc: TextDocument): DocumentChanges {
    return { key: doc.uri, version: doc.version, steps: [...(this.steps.get(doc.uri) ?? [])] };
  }

  /** A worker scanned `version`: steps up to it are no longer needed. */
  scanned(uri: string, version: number): void {
    const list = this.steps.get(uri);
    if (!list) return;
    const rest = list.filter((s) => s.version > version);
    if (rest.length) this.steps.set(uri, rest);
    else this.steps.delete(uri);
  }

  /** Forgets a closed document. */
  forget(uri: string): void {
    this.steps.delete(uri);
  }

  private record(uri: string, step: ChangeStep): void {
    const list = this.steps.get(uri) ?? [];
    list.push(step);
    let chars = 0;
    for (const s of list) for (const e of s.edits) chars += e.text.length;
    if (chars > MAX_PENDING_CHARS || list.length > MAX_PENDING_STEPS) this.steps.delete(uri);
    else this.steps.set(uri, list);
  }
}

/** One LSP change as offsets of the text it applies to (a change without a range replaces the whole text). */
function changeOf(doc: TextDocument, c: TextDocumentContentChangeEvent): TextChange {
  // A whole-text change is recorded as the one span that differs, so the worker re-parses only around it.
  if (!('range' in c) || !c.range) return differingSpan(doc.getText(), c.text);
  const a = doc.offsetAt(c.range.start);
  const b = doc.offsetAt(c.range.end);
  return { start: Math.min(a, b), end: Math.max(a, b), text: c.text };
}
