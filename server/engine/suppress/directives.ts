/**
 * The inline directive grammar, read and written in one place:
 *
 *     mcp-sentinel-ignore <rule-id>[, <rule-id>…]: <reason>        covers its line (or the next one when alone)
 *     mcp-sentinel-ignore-file <rule-id>[, <rule-id>…]: <reason>   covers the whole file
 *
 * at the start of a comment's text. `parseDirective` reads one comment, `findDirectives` every directive of a
 * document with the lines each covers, and `formatDirective` writes one (the quick fixes and the rule docs use it,
 * so what they suggest is what the parser accepts). Directives carry no expiry: only ignore-list entries expire.
 */
import { commentsOf } from '../../analysis/comments';
import type { DetectContext } from '../../core/rule';
import { DIRECTIVE, FILE_DIRECTIVE } from '../../rules/meta';

/** `line` for `mcp-sentinel-ignore`, `file` for `mcp-sentinel-ignore-file`. */
export type DirectiveScope = 'line' | 'file';

/** What a directive says, without where it is. */
export interface DirectiveText {
  /** Which findings it covers: those on its line(s), or the whole file's. */
  scope: DirectiveScope;
  /** The rule ids it names. */
  ruleIds: string[];
  /** The reason after the colon, white space collapsed; empty when none was given. */
  reason: string;
  /** Why the directive cannot be used, when it is malformed. */
  problem?: string;
}

/** A directive parsed from one comment's text, with its extent in that text. */
export interface ParsedDirective extends DirectiveText {
  /** Offset in the comment's text where the keyword starts. */
  start: number;
  /** Offset in the comment's text where the directive ends (trailing white space and `*` left out). */
  end: number;
}

/** One suppression directive found in a document. */
export interface Directive extends DirectiveText {
  /** Offset where the directive keyword starts. */
  start: number;
  /** Offset where the directive's text ends (the end of the comment's text, trimmed). */
  end: number;
  /** Zero-based lines whose findings a line directive covers (its own lines, plus the next code line when alone). */
  lines: number[];
}

// The keyword must not run on into a longer word (`mcp-sentinel-ignored`, `mcp-sentinel-ignore-files`).
const KEYWORD = new RegExp(`^${DIRECTIVE}(-file)?(?![A-Za-z0-9_-])`);
const BODY = /^\s*([A-Za-z0-9_.-]+(?:[ \t]*,[ \t]*[A-Za-z0-9_.-]+)*)?\s*([\s\S]*)$/;

/**
 * Writes a directive: the keyword for its scope, the rule ids separated by `, `, and `: <reason>` when a reason is
 * given. Rule ids are written as given, so they must be valid ids (letters, digits, `_`, `.` and `-`) for the
 * result to parse back; the caller adds the comment marker of the file's syntax.
 */
export function formatDirective(d: { scope: DirectiveScope; ruleIds: readonly string[]; reason?: string }): string {
  const keyword = d.scope === 'file' ? FILE_DIRECTIVE : DIRECTIVE;
  return `${keyword} ${d.ruleIds.join(', ')}${d.reason === undefined ? '' : `: ${d.reason}`}`;
}

/**
 * Reads the directive that starts a comment's text (after the comment marker), or undefined when the comment is
 * not one. Leading `*` decoration (JSDoc-style block comments) is skipped; prose that merely mentions the keyword
 * later in the comment is not a directive. A malformed directive is returned with its `problem`.
 */
export function parseDirective(body: string): ParsedDirective | undefined {
  const lead = /^[\s*]*/.exec(body)![0].length;
  const rest = body.slice(lead);
  const k = KEYWORD.exec(rest);
  if (!k) return undefined;
  const m = BODY.exec(rest.slice(k[0].length))!;
  const ruleIds = m[1] ? m[1].split(',').map((s) => s.trim()) : [];
  // A reason may continue over the lines of a block comment, whose leading `*` decoration is not part of it.
  const tail = (m[2] ?? '')
    .replace(/\n[ \t]*\*(?!\/)/g, '\n')
    .replace(/\s+/g, ' ')
    .trim();
  let problem: string | undefined;
  let reason = '';
  if (!ruleIds.length) problem = `"${k[0]}" names no rule id`;
  else if (tail && !tail.startsWith(':'))
    problem = `expected ":" and a reason after the rule id, found "${tail.slice(0, 30)}"`;
  else reason = tail.slice(1).trim();
  const trimmedEnd = body.replace(/[\s*]+$/, '').length;
  const d: ParsedDirective = {
    scope: k[1] ? 'file' : 'line',
    ruleIds,
    reason,
    start: lead,
    end: Math.max(trimmedEnd, lead + k[0].length),
  };
  if (problem) d.problem = problem;
  return d;
}

/**
 * Finds the suppression directives of a document, reading its comments from the detector context (so source files
 * reuse the scan's parse tree). A directive alone on its line(s) covers the next line that is not itself a
 * directive-only line (so directives can be stacked); a directive sharing its line with code covers that line.
 */
export function findDirectives(ctx: DetectContext): Directive[] {
  const { text, lines } = ctx;
  // Most documents hold no directive: skip lexing their comments altogether.
  if (!text.includes(DIRECTIVE)) return [];
  const found: { d: Directive; first: number; last: number; alone: boolean }[] = [];
  for (const c of commentsOf(ctx)) {
    const p = parseDirective(c.body);
    if (!p) continue;
    const first = lines.positionAt(c.start).line;
    const last = lines.positionAt(c.end).line;
    const before = text.slice(lines.lineStart(first), c.start);
    const after = text.slice(c.end, lines.lineEnd(last));
    const d: Directive = {
      scope: p.scope,
      ruleIds: p.ruleIds,
      reason: p.reason,
      start: c.bodyStart + p.start,
      end: c.bodyStart + p.end,
      lines: [],
    };
    if (p.problem) d.problem = p.problem;
    found.push({ d, first, last, alone: before.trim() === '' && after.trim() === '' });
  }
  const aloneLines = new Set<number>();
  for (const f of found) if (f.alone) for (let l = f.first; l <= f.last; l++) aloneLines.add(l);
  for (const f of found) {
    for (let l = f.first; l <= f.last; l++) f.d.lines.push(l);
    if (f.alone) {
      let next = f.last + 1;
      while (aloneLines.has(next)) next++;
      f.d.lines.push(next);
    }
  }
  return found.map((f) => f.d);
}
