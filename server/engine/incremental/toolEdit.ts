/**
 * Tool edits: an edit that stays inside one tool's registration (a `server.tool(…)` statement, a decorated Python
 * tool function), the most common edit while writing a server. A full analysis of a file with hundreds of tools costs
 * about half a millisecond per tool (metadata, capabilities, taint), so typing in one handler must not redo them all.
 *
 * The edited registration is analysed in a *reduced document*: the file with every other registration blanked out
 * (replaced by spaces, line breaks kept, so every offset and line is the file's own). What remains is the file's
 * skeleton (imports, constants, helpers, the server) and the one tool, so the tool's analysis sees everything it
 * reads, at the cost of one small file. The previous version is reduced the same way, and the two are compared:
 * - The file's facts (its tools, its module summary) of the new reduced document must be those of the old one moved
 *   past the edited lines: then the file's facts are the previous ones moved the same way.
 * - A *digest* of the registration must be the same (digest.ts): its text outside function bodies (name,
 *   description, schema), and inside them every call, assignment, binding a later line reads, free name,
 *   control-flow statement and Python docstring, in order. The rules that combine tools (lethal trifecta, shadowing,
 *   rug pulls, drift) read nothing else of a tool, so their findings are the previous ones moved. The same digest
 *   also keeps what the analyses resolve across the file: they look names up without regard to scope, so a tool
 *   whose calls, reads and bindings changed may read, or be read by, another tool's declarations.
 * - A rule that judges each tool on its own (ruleScopes.ts `isToolLocal`) is run on the two reduced documents. Its
 *   findings inside the registration are the new reduced document's; its findings elsewhere must be the same in both
 *   (a helper reached by the tool, say), and are then the previous full scan's, moved.
 * Anything else, or any check that fails, runs the full analysis, rule by rule or for the whole file.
 */
import { mcpMetadataOf } from '../../analysis/mcp/extract';
import {
  adoptTree,
  grammarOfContext,
  parse,
  treeOf,
  type TSNode,
  type TSRange,
  type TSTree,
} from '../../analysis/parse';
import { digestOf } from './digest';
import { createDetectContext } from '../../core/context';
import { samePlainData } from '../../core/plainData';
import type { RegexBackend } from '../../core/regex';
import type { DetectContext, RawFinding, Rule } from '../../core/rule';
import type { FileKind } from '../../../shared/types';
import { factsOfFile, type FileFacts } from '../facts';
import { moveFacts, moveFindings } from './relocate';
import { lineEditOf, occurrences, unitRegionOf, type InertEdit, type Unit, type UnitVersion } from './units';

/** The previous version of a document, as a tool edit reads it. */
export interface ToolEditBase extends UnitVersion {
  /** Its file facts. */
  facts: FileFacts | undefined;
  /** Starts of its units that register a tool, prompt or resource. */
  registrations: readonly number[];
  /** Its reduced document, when it was itself reached by a tool edit (`ToolEdit.takeReduction`). */
  reduction?: KeptReduction;
}

/**
 * A version's reduced document kept for the next edit of the same registration, whose old reduced document it is:
 * typing in one handler then builds, parses and extracts one reduced document per edit instead of two. Only what
 * does not depend on the workspace is kept (the text, its tree, its facts and the registration's digest); the rules
 * run on a fresh context of it.
 */
export interface KeptReduction {
  /** Start of the registration it keeps. */
  keep: number;
  /** The reduced text. */
  text: string;
  /** Its tree; owned by whoever holds the reduction (delete it when dropping it). */
  tree: TSTree;
  /** Its file facts. */
  facts: FileFacts | undefined;
  /** The kept registration's digest. */
  digest: string;
}

/** What a tool edit reuses and recomputes, for one scan. */
export interface ToolEdit {
  /** The lines the edit touched, for moving results outside them. */
  lines: InertEdit;
  /** The file's facts: the previous ones moved. */
  facts: { facts: FileFacts | undefined };
  /** Starts of the new version's registration units. */
  registrations: number[];
  /**
   * A rule's findings on the new version from its previous ones: `local` for a rule that judges each tool on its
   * own, else moved. Undefined when they cannot be had that way (the caller runs the rule on the whole file).
   */
  findings(rule: Rule, ctx: DetectContext, previous: readonly RawFinding[], local: boolean): RawFinding[] | undefined;
  /** The new version's reduced document, for the next tool edit; the caller then owns its tree. */
  takeReduction(): KeptReduction | undefined;
  /** Frees the reduced documents (and the new one's kept reduction, unless it was taken). */
  dispose(): void;
}

/**
 * The tool edit from `before` to `after` (whose `units` are the new version's), or undefined when the edit is not one
 * or its checks fail (the caller then analyses the whole file).
 */
export function toolEditOf(
  before: ToolEditBase,
  after: UnitVersion,
  file: { backend: RegexBackend; path: string; kind: FileKind },
): ToolEdit | undefined {
  const region = unitRegionOf(before, after);
  const lines = lineEditOf(before, after);
  if (!region || !lines) return undefined;
  const oldUnit = onlyUnit(before.units, region.start, region.oldEnd);
  const newUnit = onlyUnit(after.units, region.start, region.newEnd);
  if (!oldUnit || !newUnit || oldUnit.start !== newUnit.start || oldUnit.type !== newUnit.type) return undefined;
  if (!before.registrations.includes(oldUnit.start)) return undefined;
  if (!detached(before, oldUnit) || !detached(after, newUnit)) return undefined;
  // The two reduced documents each cost an analysis of what is left of the file: worth it only when the other
  // registrations are most of it (a server of many tools), not for a file of helpers with a tool or two.
  if (blankedShare(before, oldUnit) < 0.5) return undefined;
  const shift = region.newEnd - region.oldEnd;
  const registrations = before.registrations.map((s) => (s >= region.oldEnd ? s + shift : s));
  const facts = moveFacts(lines, before.facts);
  if (!facts) return undefined;
  const kept = before.reduction;
  const cached = kept && kept.keep === oldUnit.start && kept.text.length === before.text.length ? kept : undefined;
  const oldDoc = cached ? reducedFrom(cached, before, file) : reduced(before, before.registrations, oldUnit, file);
  const newDoc = reduced(after, registrations, newUnit, file);
  let reduction: KeptReduction | undefined;
  const dispose = () => {
    oldDoc.dispose();
    newDoc.dispose();
    reduction?.tree.delete();
    reduction = undefined;
  };
  try {
    if (!oldDoc.unit || !newDoc.unit || !registers(newDoc.ctx, newUnit)) {
      dispose();
      return undefined;
    }
    const oldDigest = cached ? cached.digest : digestOf(oldDoc.unit, oldDoc.ctx.kind);
    const newDigest = digestOf(newDoc.unit, newDoc.ctx.kind);
    const oldFacts = cached
      ? cached.facts
      : factsOfFile(file.backend, file.path, oldDoc.ctx.text, file.kind, oldDoc.ctx);
    const newFacts = factsOfFile(file.backend, file.path, newDoc.ctx.text, file.kind, newDoc.ctx);
    if (oldDigest !== newDigest || !sameMovedFacts(lines, oldFacts, newFacts)) {
      dispose();
      return undefined;
    }
    const tree = treeOf(newDoc.ctx);
    if (tree)
      reduction = { keep: newUnit.start, text: newDoc.ctx.text, tree: tree.copy(), facts: newFacts, digest: newDigest };
  } catch (e) {
    dispose();
    throw e;
  }
  const inside = (u: Unit) => (r: RawFinding) => r.start >= u.start && r.end <= u.end;
  return {
    lines,
    facts,
    registrations,
    findings(rule, ctx, previous, local) {
      if (!local) return moveFindings(lines, previous, ctx.path);
      // The reduced documents see the workspace the scan sees (set in place: a copy would prepare their texts for
      // the regex backend, which their rules do not read).
      for (const d of [oldDoc, newDoc]) (d.ctx as { workspace: DetectContext['workspace'] }).workspace = ctx.workspace;
      const oldRaw = rule.detect(oldDoc.ctx);
      const newRaw = rule.detect(newDoc.ctx);
      // What the tool makes the rule report outside its registration must not have changed.
      const oldOutside = moveFindings(
        lines,
        oldRaw.filter((r) => !inside(oldUnit)(r)),
        ctx.path,
      );
      const newOutside = newRaw.filter((r) => !inside(newUnit)(r));
      if (!oldOutside || !samePlainData(oldOutside, newOutside)) return undefined;
      const kept = moveFindings(
        lines,
        previous.filter((r) => !inside(oldUnit)(r)),
        ctx.path,
      );
      if (!kept) return undefined;
      // The tool's findings take the place its previous ones held in the rule's order, else their place by offset.
      const first = previous.findIndex(inside(oldUnit));
      const at =
        first >= 0
          ? previous.slice(0, first).filter((r) => !inside(oldUnit)(r)).length
          : kept.filter((r) => r.start < newUnit.start).length;
      return [...kept.slice(0, at), ...newRaw.filter(inside(newUnit)), ...kept.slice(at)];
    },
    takeReduction() {
      const r = reduction;
      reduction = undefined;
      return r;
    },
    dispose,
  };
}

/** The share of a version's text that its reduced document blanks out when `keep` is the edited registration. */
function blankedShare(v: ToolEditBase, keep: Unit): number {
  const starts = new Set(v.registrations);
  let blanked = 0;
  for (const u of v.units) if (u.start !== keep.start && starts.has(u.start)) blanked += u.end - u.start;
  return v.text.length ? blanked / v.text.length : 0;
}

/** The one unit inside `[start, end)`, or undefined when there are none or several. */
function onlyUnit(units: readonly Unit[], start: number, end: number): Unit | undefined {
  const inside = units.filter((u) => u.start >= start && u.end <= end && u.type !== 'comment');
  return inside.length === 1 ? inside[0] : undefined;
}

/**
 * The starts of a version's units that register a tool, prompt or resource (from the file's MCP metadata, which the
 * scan's rules extracted) and can be blanked out of a reduced document: see `detached`.
 */
export function registrationUnits(ctx: DetectContext, v: UnitVersion): number[] {
  const out = new Set<number>();
  const words = new WordCounts(v.text);
  for (const e of mcpMetadataOf(ctx).entities) {
    // The last unit starting at or before the entity (units are in document order), if it holds the entity.
    let lo = 0;
    let hi = v.units.length - 1;
    while (lo < hi) {
      const mid = (lo + hi + 1) >> 1;
      if (v.units[mid]!.start <= e.span.start) lo = mid;
      else hi = mid - 1;
    }
    const u = v.units[lo];
    if (u && u.start <= e.span.start && e.span.end <= u.end && detached(v, u, words)) out.add(u.start);
  }
  return [...out].sort((a, b) => a - b);
}

// A JS statement that is a call on a (dotted) name and nothing else: `server.tool(…)`, `mcp.registerPrompt(…)`.
const CALL_STATEMENT = /^[A-Za-z_$][\w$]*(?:\s*\.\s*[A-Za-z_$][\w$]*)*\s*\(/;

/**
 * True when a unit binds nothing another part of the file reads, so blanking it out cannot change how the rest of
 * the file resolves: a JS statement that is only a call on a name (not an assignment, a declaration or an export),
 * or a decorated Python function whose name occurs nowhere else.
 */
function detached(v: UnitVersion, u: Unit, words = new WordCounts(v.text)): boolean {
  const text = v.text.slice(u.start, u.end);
  if (u.type === 'expression_statement') return CALL_STATEMENT.test(text);
  if (u.type !== 'decorated_definition') return false;
  const name = /\bdef\s+([A-Za-z_]\w*)/.exec(text)?.[1];
  return !!name && words.count(name) === occurrences(text, name);
}

/** How many times each word (a run of identifier characters) occurs in a text, counted once on first use. */
class WordCounts {
  private counts: Map<string, number> | undefined;

  constructor(private readonly text: string) {}

  count(word: string): number {
    if (!this.counts) {
      this.counts = new Map();
      for (const m of this.text.matchAll(/[\w$]+/g)) this.counts.set(m[0], (this.counts.get(m[0]) ?? 0) + 1);
    }
    return this.counts.get(word) ?? 0;
  }
}

/**
 * A reduced document: the version's text with every registration unit but `keep` blanked out, and its context. Only
 * the parts left are parsed (tree-sitter's included ranges), so the blanks cost nothing but their copy.
 */
function reduced(
  v: UnitVersion,
  registrations: readonly number[],
  keep: Unit,
  file: { backend: RegexBackend; path: string; kind: FileKind },
): { ctx: DetectContext; unit: TSNode | undefined; dispose(): void } {
  const starts = new Set(registrations);
  let at = 0;
  const ranges: TSRange[] = [];
  const keepPart = (end: number) => {
    if (end > at) ranges.push(rangeOf(v, at, end));
  };
  const parts: string[] = [];
  for (const u of v.units) {
    if (u === keep || !starts.has(u.start)) continue;
    keepPart(u.start);
    parts.push(v.text.slice(at, u.start), blank(v.text, u.start, u.end));
    at = u.end;
  }
  keepPart(v.text.length);
  parts.push(v.text.slice(at));
  const text = parts.join('');
  // The reduced text has the version's line breaks where they were: its line index is the version's.
  const { ctx, dispose } = createDetectContext(file.backend, file.path, text, file.kind, {}, v.lines);
  const grammar = grammarOfContext(ctx);
  let unit: TSNode | undefined;
  if (grammar) {
    const tree = parse(text, grammar, undefined, ranges);
    // Blanking whole units leaves the brackets of the rest, so the reduced text nests no deeper than the version,
    // which its own scan has already checked.
    if (!adoptTree(ctx, grammar, tree, { depthChecked: true })) tree.delete();
    else if (!tree.rootNode.hasError)
      unit = tree.rootNode.children.find((n) => n?.startIndex === keep.start) ?? undefined;
  }
  return { ctx, unit, dispose };
}

/** The reduced document of a kept reduction, on a fresh context (its rules' results depend on the workspace). */
function reducedFrom(
  kept: KeptReduction,
  v: UnitVersion,
  file: { backend: RegexBackend; path: string; kind: FileKind },
): { ctx: DetectContext; unit: TSNode | undefined; dispose(): void } {
  const { ctx, dispose } = createDetectContext(file.backend, file.path, kept.text, file.kind, {}, v.lines);
  const grammar = grammarOfContext(ctx);
  const tree = kept.tree.copy();
  if (!grammar || !adoptTree(ctx, grammar, tree, { depthChecked: true })) {
    tree.delete();
    return { ctx, unit: undefined, dispose };
  }
  return { ctx, unit: tree.rootNode.children.find((n) => n?.startIndex === kept.keep) ?? undefined, dispose };
}

/** `text[start, end)` with every character but line breaks turned into a space. */
function blank(text: string, start: number, end: number): string {
  let out = '';
  let at = start;
  for (let nl = text.indexOf('\n', at); at < end; nl = text.indexOf('\n', at)) {
    const stop = nl < 0 || nl >= end ? end : nl;
    const cr = stop > at && text.charCodeAt(stop - 1) === 13 && stop < end ? 1 : 0;
    out += ' '.repeat(stop - at - cr) + (cr ? '\r' : '') + (stop < end ? '\n' : '');
    at = stop + 1;
  }
  return out;
}

/** The tree-sitter range of `[start, end)` of a version (whose lines the reduced text shares). */
function rangeOf(v: UnitVersion, start: number, end: number): TSRange {
  const s = v.lines.positionAt(start);
  const e = v.lines.positionAt(end);
  return {
    startIndex: start,
    endIndex: end,
    startPosition: { row: s.line, column: s.character },
    endPosition: { row: e.line, column: e.character },
  };
}

/** True when the reduced document registers a tool, prompt or resource inside the unit. */
function registers(ctx: DetectContext, u: Unit): boolean {
  return mcpMetadataOf(ctx).entities.some((e) => e.span.start >= u.start && e.span.end <= u.end);
}

/**
 * True when the facts of the new reduced document are those of the old one moved past the edited lines, positions
 * included: the same entries but for their place would not do, since an extraction that keeps the first of two equal
 * calls takes its position from whichever comes first (a line typed above an equal one).
 */
function sameMovedFacts(lines: InertEdit, before: FileFacts | undefined, after: FileFacts | undefined): boolean {
  const moved = moveFacts(lines, before);
  return !!moved && samePlainData(moved.facts, after);
}
