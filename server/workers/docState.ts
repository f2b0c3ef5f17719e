/**
 * A worker's state for the editor documents it owns (the pool sends every job of one document to the same worker):
 * the text of the version it scanned last and that text's tree-sitter tree. The next job of the document brings the
 * edits since that version, so the worker edits the old tree (`tree.edit`) and lets tree-sitter re-parse only what
 * changed (`parse(text, oldTree)`), instead of parsing five thousand lines again for a one-line edit.
 *
 * The job's full text stays the truth: the edits are replayed on the kept text and used only when they yield exactly
 * the job's text, and a worker that lacks the version the edits start from (a fresh worker after a crash, a version
 * whose job was superseded before it reached the worker) parses the text from scratch. A re-parse whose tree holds a
 * syntax error is redone from scratch as well: tree-sitter's error recovery may settle differently when it resumes
 * from an old tree, and findings must not depend on the path the document took to its text.
 */
import { parse, type Grammar, type TSTree } from '../analysis/parse';
import { differingSpan } from '../core/text';
import type { ChangeStep, DocumentChanges, TextChange } from './protocol';

/** A document's kept version. */
interface Kept {
  version: number;
  text: string;
  grammar: Grammar;
  tree: TSTree;
  /** Set when `advance` re-parsed this version ahead of its scan, until the scan takes the tree. */
  advanced?: boolean;
}

/**
 * How a tree was obtained, for tests and measurements: the kept tree reused as is, re-parsed incrementally by the
 * scan, re-parsed incrementally ahead of the scan while the debounce ran (`advance`), or parsed from scratch.
 */
export type ParseWay = 'reused' | 'incremental' | 'advanced' | 'full';

/** What `DocumentStates.treeFor` hands the scan: a tree of its own (the caller deletes it) and how it was made. */
export interface DocumentTree {
  /** A tree of exactly the job's text; the caller owns it. */
  tree: TSTree;
  /** Whether the kept tree was reused as is, re-parsed incrementally, or the text parsed from scratch. */
  way: ParseWay;
}

/** The kept versions of the documents one worker owns, by document key. */
export class DocumentStates {
  private readonly kept = new Map<string, Kept>();

  /**
   * The tree of `text`, the version `doc.version` of the document: re-parsed from the kept tree when the kept
   * version is one the steps start from, else parsed whole. The state then holds this version.
   */
  treeFor(doc: DocumentChanges, text: string, grammar: Grammar): DocumentTree {
    const old = this.kept.get(doc.key);
    let tree: TSTree | undefined;
    let way: ParseWay = 'full';
    if (old && old.grammar === grammar) {
      if (old.text === text) {
        // The same text again (a rescan for other files' facts, a settings change), or the text `advance` re-parsed
        // for this scan: the kept tree is its tree.
        old.version = doc.version;
        const way: ParseWay = old.advanced ? 'advanced' : 'reused';
        old.advanced = false;
        return { tree: old.tree.copy(), way };
      }
      // Without steps from the kept version (a whole-text change, a job whose steps were dropped), one edit spanning
      // what differs between the kept text and the job's still lets tree-sitter reuse the rest of the old tree.
      tree = doc.steps.some((s) => s.base === old.version)
        ? reparse(old, doc.steps, text, grammar)
        : reparseEdits(old, [differingSpan(old.text, text)], text, grammar);
      if (tree) way = 'incremental';
    }
    tree ??= parse(text, grammar);
    if (old) old.tree.delete();
    this.kept.set(doc.key, { version: doc.version, text, grammar, tree });
    return { tree: tree.copy(), way };
  }

  /**
   * Re-parses a document ahead of its scan, while the editor's debounce runs, so that the scan finds its tree ready.
   * Only an incremental re-parse from the kept version is done, and only a tree without syntax errors is kept: a
   * half-typed line would otherwise cost a parse from scratch on every keystroke. True when the state now holds
   * `text`; otherwise the state is unchanged and the scan re-parses as it always does.
   */
  advance(doc: DocumentChanges, text: string, grammar: Grammar): boolean {
    const old = this.kept.get(doc.key);
    if (!old || old.grammar !== grammar || !doc.steps.some((s) => s.base === old.version)) return false;
    if (old.text === text) return true;
    // The kept tree stays as it is unless the re-parse succeeds, so the edits go to a copy of it.
    const edited = old.tree.copy();
    const tree = reparse({ ...old, tree: edited }, doc.steps, text, grammar);
    edited.delete();
    if (!tree) return false;
    old.tree.delete();
    this.kept.set(doc.key, { version: doc.version, text, grammar, tree, advanced: true });
    return true;
  }

  /** Frees a document's state (the editor closed it). */
  forget(key: string): void {
    this.kept.get(key)?.tree.delete();
    this.kept.delete(key);
  }

  /** The number of documents held (tests). */
  get size(): number {
    return this.kept.size;
  }
}

/**
 * Replays the steps after the kept version on the kept text and tree, and re-parses incrementally. Undefined when
 * the steps do not start at the kept version, do not lead to `text`, or the result holds a syntax error; the kept
 * tree is then in an edited state, which is why the caller replaces it whatever the outcome.
 */
function reparse(old: Kept, steps: readonly ChangeStep[], text: string, grammar: Grammar): TSTree | undefined {
  const from = steps.findIndex((s) => s.base === old.version);
  if (from < 0) return undefined;
  const edits: TextChange[] = [];
  for (let i = from; i < steps.length; i++) {
    if (i > from && steps[i]!.base !== steps[i - 1]!.version) return undefined;
    edits.push(...steps[i]!.edits);
  }
  return reparseEdits(old, edits, text, grammar);
}

/**
 * Applies `edits` (each in the offsets of the text the previous one produced) to the kept text and tree, and
 * re-parses incrementally; undefined when they do not lead to `text` or the result holds a syntax error.
 */
function reparseEdits(old: Kept, edits: readonly TextChange[], text: string, grammar: Grammar): TSTree | undefined {
  let current = old.text;
  for (const e of edits) {
    if (e.start < 0 || e.end < e.start || e.end > current.length) return undefined;
    old.tree.edit(treeEdit(current, e));
    current = current.slice(0, e.start) + e.text + current.slice(e.end);
  }
  if (current !== text) return undefined;
  const tree = parse(text, grammar, old.tree);
  if (!tree.rootNode.hasError) return tree;
  tree.delete();
  return undefined;
}

/** A zero-based row and UTF-16 column, as tree-sitter's JavaScript binding counts them. */
interface Point {
  row: number;
  column: number;
}

/** The tree-sitter edit of one change to `text`: offsets and points before and after. */
function treeEdit(text: string, e: TextChange) {
  const startPosition = pointAt(text, e.start);
  return {
    startIndex: e.start,
    oldEndIndex: e.end,
    newEndIndex: e.start + e.text.length,
    startPosition,
    oldEndPosition: pointAt(text, e.end, e.start, startPosition),
    newEndPosition: advance(startPosition, e.text, 0, e.text.length),
  };
}

/** The point of an offset, counted from a known point (`from` at offset `fromOffset`) or from the start. */
function pointAt(text: string, offset: number, fromOffset = 0, from: Point = { row: 0, column: 0 }): Point {
  return advance(from, text, fromOffset, offset);
}

/** The point reached from `p` by reading `text[start, end)`. */
function advance(p: Point, text: string, start: number, end: number): Point {
  let row = p.row;
  let lineStart = start - p.column;
  for (let i = text.indexOf('\n', start); i >= 0 && i < end; i = text.indexOf('\n', i + 1)) {
    row++;
    lineStart = i + 1;
  }
  return { row, column: end - lineStart };
}
