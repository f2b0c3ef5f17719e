/**
 * Suppression, decided once in the engine so the CLI, the editor and every report agree. Passes run in this
 * order (STYLE.md): inline comments (`mcp-sentinel-ignore <rule-id>: <reason>` on the line or the line before, and
 * `mcp-sentinel-ignore-file <rule-id>: <reason>`), then the ignore list (config `ignore` and
 * `.mcp-sentinel/ignore.json`), then the baseline. Suppressed findings stay in the results with
 * `suppressed: { kind, reason }`; problems with suppressions themselves (no reason, unused, malformed, expired) are
 * reported as findings of the meta rules defined here.
 */
import { Lexer } from 'yaml';
import { createScanner } from 'jsonc-parser';
import type { FileKind, Finding, Range, Severity, Suppression } from '../../shared/types';
import { grammarFor, parse, type Grammar, type TSTree } from '../analysis/parse';
import { globMatcher } from '../core/glob';
import type { IgnoreEntry } from '../project/types';
import { compareFindings } from '../core/order';
import { fingerprint } from '../core/fingerprint';
import type { Rule } from '../core/rule';
import { LineIndex } from '../core/text';

/** The directive keyword; `-file` appended makes it file-wide. */
export const DIRECTIVE = 'mcp-sentinel-ignore';

// ---------------------------------------------------------------------------------------------------------------
// Meta rules: findings about suppressions. They have metadata (so SARIF and the rule list define them) but no
// detector: the suppression pass below produces them, and their empty `kinds` keeps the engine from running them.

function metaRule(id: string, title: string, description: string, severity: Severity, docs: string): Rule {
  return {
    id,
    title,
    description,
    category: 'other',
    severity,
    cwe: [],
    owasp: [],
    kinds: [],
    keywords: [DIRECTIVE],
    docs,
    detect: () => [],
    positive: [],
    negative: [],
  };
}

/** A suppression comment without a reason. */
export const SUPPRESSION_WITHOUT_REASON = 'mcp-sentinel-suppression-without-reason';
/** A suppression comment that suppresses nothing. */
export const UNUSED_SUPPRESSION = 'mcp-sentinel-unused-suppression';
/** A suppression comment that cannot be understood (no rule id, unknown rule id, missing colon). */
export const INVALID_SUPPRESSION = 'mcp-sentinel-invalid-suppression';
/** An ignore-list entry past its `expires` date. */
export const EXPIRED_IGNORE = 'mcp-sentinel-expired-ignore';

/** The meta rules; `openProject` adds them to the engine so overrides and reports know them. */
export const metaRules: readonly Rule[] = [
  metaRule(
    SUPPRESSION_WITHOUT_REASON,
    'Suppression without a reason',
    'A suppression comment gives no reason, so nobody can later tell whether the hidden finding is still acceptable.',
    'low',
    'Write the reason after a colon: `// mcp-sentinel-ignore <rule-id>: <why this is safe>`. The finding stays suppressed; this note stays until a reason is given.',
  ),
  metaRule(
    UNUSED_SUPPRESSION,
    'Unused suppression',
    'A suppression comment suppresses no finding, so it only hides whatever the rule may report there in the future.',
    'low',
    'The rule no longer reports anything on the line (or in the file) the comment covers. Remove the comment.',
  ),
  metaRule(
    INVALID_SUPPRESSION,
    'Malformed suppression',
    'A suppression comment names no rule, an unknown rule or is missing its colon, so it suppresses nothing although it looks as if it did.',
    'low',
    'The grammar is `mcp-sentinel-ignore <rule-id>[, <rule-id>…]: <reason>` (or `mcp-sentinel-ignore-file`), at the start of a comment.',
  ),
  metaRule(
    EXPIRED_IGNORE,
    'Expired ignore entry',
    'An ignore-list entry is past its expiry date and no longer suppresses anything, so the findings it covered are reported again.',
    'low',
    'Fix the findings, or, if they are still acceptable, renew the entry with a new `expires` date and an up-to-date reason.',
  ),
];

// ---------------------------------------------------------------------------------------------------------------
// Comments

/** A comment in a document. */
export interface Comment {
  /** Offset of the comment's first character (its marker). */
  start: number;
  /** Offset just past its last character. */
  end: number;
  /** The text after the marker (and before `*\/` for block comments). */
  body: string;
  /** Offset of `body` in the document. */
  bodyStart: number;
}

/** Finds the comments of a document in its kind's syntax; text inside string literals is never a comment. */
export function commentsOf(
  text: string,
  kind: FileKind,
  path: string,
  sharedTree?: () => TSTree | undefined,
): Comment[] {
  switch (kind) {
    case 'js':
    case 'python': {
      const g: Grammar = grammarFor(path) ?? (kind === 'python' ? 'python' : 'typescript');
      const shared = sharedTree?.();
      const fromTree = shared ? commentsOfTree(text, shared) : treeComments(text, g);
      if (fromTree) return fromTree;
      return kind === 'js'
        ? cLikeComments(text)
        : hashComments(text, { quotes: `'"`, triple: true, lineStartOnly: false });
    }
    case 'mcp-config':
    case 'vscode-settings':
    case 'json':
      return jsonComments(text);
    case 'yaml':
      return yamlComments(text);
    case 'dockerfile':
      // Dockerfile comments start a line; a `#` elsewhere is part of an instruction's arguments.
      return hashComments(text, { quotes: '', triple: false, lineStartOnly: true });
    case 'dotenv':
      return hashComments(text, { quotes: `'"`, triple: false, lineStartOnly: false });
    case 'text': {
      // The `text` kind covers many languages: pick the comment syntax from the extension.
      const ext = /\.([a-z0-9]+)$/i.exec(path)?.[1]?.toLowerCase() ?? '';
      const slashes = ['go', 'java', 'kt', 'cs', 'rs', 'gradle', 'php', 'tf', 'tfvars'].includes(ext);
      const hashes = !slashes || ['php', 'tf', 'tfvars'].includes(ext);
      const found = [
        ...(slashes ? cLikeComments(text) : []),
        ...(hashes ? hashComments(text, { quotes: `'"`, triple: false, lineStartOnly: false }) : []),
      ];
      // Where both syntaxes apply, a `#` inside a `//` comment (or the reverse) must not count twice.
      found.sort((a, b) => a.start - b.start);
      return found.filter((c, i) => i === 0 || c.start >= found[i - 1]!.end);
    }
  }
}

/** Comment nodes from tree-sitter; undefined when the parsers are not initialised (the scanners take over). */
function treeComments(text: string, grammar: Grammar): Comment[] | undefined {
  let tree;
  try {
    tree = parse(text, grammar);
  } catch {
    return undefined;
  }
  try {
    return commentsOfTree(text, tree);
  } finally {
    // Trees live in WebAssembly memory the garbage collector cannot see.
    tree.delete();
  }
}

/** The comment nodes of a parse tree the caller owns. */
function commentsOfTree(text: string, tree: TSTree): Comment[] {
  return tree.rootNode
    .descendantsOfType('comment')
    .flatMap((n) => (n ? [commentAt(text, n.startIndex, n.endIndex)] : []));
}

/** Builds a Comment from its span, stripping the marker. */
function commentAt(text: string, start: number, end: number): Comment {
  const raw = text.slice(start, end);
  if (raw.startsWith('/*')) {
    const close = raw.endsWith('*/') && raw.length >= 4 ? 2 : 0;
    return { start, end, body: raw.slice(2, raw.length - close), bodyStart: start + 2 };
  }
  const marker = raw.startsWith('//') ? 2 : raw.startsWith('#') ? 1 : 0;
  return { start, end, body: raw.slice(marker), bodyStart: start + marker };
}

/** JSONC comments via jsonc-parser's scanner, which knows where strings are. */
function jsonComments(text: string): Comment[] {
  // SyntaxKind is a const enum in jsonc-parser's typings: 12 = line comment, 13 = block comment, 17 = end of file.
  const scanner = createScanner(text, false);
  const out: Comment[] = [];
  for (let t = scanner.scan(); t !== 17; t = scanner.scan()) {
    if (t === 12 || t === 13) {
      const start = scanner.getTokenOffset();
      out.push(commentAt(text, start, start + scanner.getTokenLength()));
    }
  }
  return out;
}

/** YAML comments from the `yaml` lexer, which knows quoted scalars and block scalars (where `#` is content). */
function yamlComments(text: string): Comment[] {
  const out: Comment[] = [];
  let offset = 0;
  for (const tok of new Lexer().lex(text)) {
    // Single control characters are the lexer's zero-width markers (document, scalar, flow error), not source.
    if (tok.length === 1 && tok < ' ' && tok !== '\n' && tok !== '\t' && tok !== '\r') continue;
    if (tok.startsWith('#') && !tok.includes('\n')) out.push(commentAt(text, offset, offset + tok.length));
    offset += tok.length;
  }
  return out;
}

/** Options for the `#`-comment scanner. */
interface HashOptions {
  /** Quote characters that start a string on a line (a `#` inside is not a comment). */
  quotes: string;
  /** Python-style triple-quoted strings span lines. */
  triple: boolean;
  /** Only a `#` that starts a line (after indentation) starts a comment. */
  lineStartOnly: boolean;
}

/**
 * `#` comments for Python (fallback), shell, TOML, dotenv and Dockerfiles. Outside Python a `#` must start the
 * line or follow white space (as in shell), so `a#b` and URL fragments are not comments.
 */
function hashComments(text: string, o: HashOptions): Comment[] {
  const out: Comment[] = [];
  let quote = '';
  let lineStart = true;
  for (let i = 0; i < text.length; i++) {
    const c = text[i]!;
    if (c === '\n') {
      lineStart = true;
      // Single-quoted strings end at the line's end (an unterminated one must not swallow the file).
      if (quote.length === 1) quote = '';
      continue;
    }
    if (quote) {
      if (c === '\\' && o.triple) i++;
      else if (text.startsWith(quote, i)) {
        i += quote.length - 1;
        quote = '';
      }
      if (c !== ' ' && c !== '\t') lineStart = false;
      continue;
    }
    if (c === '#') {
      const prev = i > 0 ? text[i - 1]! : '\n';
      const ok = o.lineStartOnly ? lineStart : o.triple || /\s/.test(prev);
      if (ok) {
        let e = text.indexOf('\n', i);
        if (e < 0) e = text.length;
        if (e > i && text[e - 1] === '\r') e--;
        out.push(commentAt(text, i, e));
        i = e - 1;
        continue;
      }
    }
    if (o.quotes.includes(c)) {
      quote = o.triple && text.startsWith(c.repeat(3), i) ? c.repeat(3) : c;
      i += quote.length - 1;
    }
    if (c !== ' ' && c !== '\t') lineStart = false;
  }
  return out;
}

/** `//` and `/* *\/` comments for JS/TS when tree-sitter is not available: strings and templates are skipped. */
function cLikeComments(text: string): Comment[] {
  const out: Comment[] = [];
  for (let i = 0; i < text.length; i++) {
    const c = text[i]!;
    if (c === '"' || c === "'" || c === '`') {
      for (i++; i < text.length && text[i] !== c; i++) {
        if (text[i] === '\\') i++;
        else if (c !== '`' && text[i] === '\n') break;
      }
    } else if (c === '/' && text[i + 1] === '/') {
      let e = text.indexOf('\n', i);
      if (e < 0) e = text.length;
      if (text[e - 1] === '\r') e--;
      out.push(commentAt(text, i, e));
      i = e - 1;
    } else if (c === '/' && text[i + 1] === '*') {
      const close = text.indexOf('*/', i + 2);
      const e = close < 0 ? text.length : close + 2;
      out.push(commentAt(text, i, e));
      i = e - 1;
    }
  }
  return out;
}

// ---------------------------------------------------------------------------------------------------------------
// Directives

/** One suppression directive found in a comment. */
export interface Directive {
  /** `line` for `mcp-sentinel-ignore`, `file` for `mcp-sentinel-ignore-file`. */
  scope: 'line' | 'file';
  /** The rule ids it names. */
  ruleIds: string[];
  /** The reason after the colon, white space collapsed; empty when none was given. */
  reason: string;
  /** Offset where the directive keyword starts. */
  start: number;
  /** Offset where the directive's text ends (the end of the comment's text, trimmed). */
  end: number;
  /** Zero-based lines whose findings a line directive covers (its own lines, plus the next code line when alone). */
  lines: number[];
  /** Why the directive cannot be used, when it is malformed. */
  problem?: string;
}

const KEYWORD = /^mcp-sentinel-ignore(-file)?(?![A-Za-z0-9_-])/;
const BODY = /^\s*([A-Za-z0-9_.-]+(?:[ \t]*,[ \t]*[A-Za-z0-9_.-]+)*)?\s*([\s\S]*)$/;

/**
 * Finds the suppression directives of a document. A directive must start its comment's text (so prose that
 * mentions the keyword is not one). A directive alone on its line(s) covers the next line that is not itself a
 * directive-only line (so directives can be stacked); a directive sharing its line with code covers that line.
 */
export function findDirectives(
  text: string,
  kind: FileKind,
  path: string,
  lines = new LineIndex(text),
  sharedTree?: () => TSTree | undefined,
): Directive[] {
  if (!text.includes(DIRECTIVE)) return [];
  const found: { d: Directive; first: number; last: number; alone: boolean }[] = [];
  for (const c of commentsOf(text, kind, path, sharedTree)) {
    // JSDoc-style block comments put `*` at the start of lines; they are decoration, not content.
    const lead = /^[\s*]*/.exec(c.body)![0].length;
    const body = c.body.slice(lead);
    const k = KEYWORD.exec(body);
    if (!k) continue;
    const start = c.bodyStart + lead;
    const trimmedEnd = c.bodyStart + c.body.replace(/[\s*]+$/, '').length;
    const m = BODY.exec(body.slice(k[0].length))!;
    const ids = m[1] ? m[1].split(',').map((s) => s.trim()) : [];
    const tail = (m[2] ?? '')
      .replace(/\n[ \t]*\*(?!\/)/g, '\n')
      .replace(/\s+/g, ' ')
      .trim();
    let problem: string | undefined;
    let reason = '';
    if (!ids.length) problem = `"${k[0]}" names no rule id`;
    else if (tail && !tail.startsWith(':'))
      problem = `expected ":" and a reason after the rule id, found "${tail.slice(0, 30)}"`;
    else reason = tail.slice(1).trim();
    const first = lines.positionAt(c.start).line;
    const last = lines.positionAt(c.end).line;
    const before = text.slice(lines.lineStart(first), c.start);
    const after = text.slice(c.end, lines.lineEnd(last));
    const d: Directive = {
      scope: k[1] ? 'file' : 'line',
      ruleIds: ids,
      reason,
      start,
      end: Math.max(trimmedEnd, start + k[0].length),
      lines: [],
    };
    if (problem) d.problem = problem;
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

// ---------------------------------------------------------------------------------------------------------------
// Applying suppressions

/** The project-wide inputs of the suppression passes (built by openProject). */
export interface SuppressionInputs {
  /** Ignore-list entries from the config and `.mcp-sentinel/ignore.json`. */
  ignore: readonly IgnoreEntry[];
  /** The baseline in force, if any. */
  baseline?: {
    /** Path of the baseline file relative to the project root (or absolute outside it), for the reason text. */
    file: string;
    /** Accepted fingerprints. */
    fingerprints: ReadonlySet<string>;
  };
  /** The clock used for expiry (tests inject it). */
  now: Date;
}

/** What the suppression pass needs to know about one document and the rule set. */
export interface SuppressionContext {
  /** Path relative to the project root, forward slashes. */
  file: string;
  /** The document text. */
  text: string;
  /** The kind the document was scanned as. */
  kind: FileKind;
  /** Project-wide inputs. */
  inputs: SuppressionInputs;
  /** Effective severity of a rule (`off` when disabled), or undefined for an unknown rule id. */
  severityOf(ruleId: string): Severity | 'off' | undefined;
  /** The document's parse tree when the scan already has one, so comments are not parsed a second time. */
  tree?: () => TSTree | undefined;
}

/** True when an ignore entry's `expires` has passed. A bare date is valid through the end of that day (UTC). */
export function isExpired(expires: string, now: Date): boolean {
  const end = /^\d{4}-\d{2}-\d{2}$/.test(expires)
    ? Date.parse(`${expires}T00:00:00Z`) + 86_400_000
    : Date.parse(expires);
  return now.getTime() >= end;
}

const globCache = new WeakMap<IgnoreEntry, (file: string) => boolean>();

/** Does an ignore entry (expired or not) cover a finding? */
export function entryMatches(entry: IgnoreEntry, f: Finding): boolean {
  if (entry.rule && entry.rule !== f.ruleId) return false;
  if (entry.fingerprint) return entry.fingerprint === f.fingerprint;
  if (!entry.path) return false;
  let m = globCache.get(entry);
  if (!m) {
    m = globMatcher([entry.path]);
    globCache.set(entry, m);
  }
  return m(f.file);
}

/** A short description of an ignore entry for messages. */
function describeEntry(e: IgnoreEntry): string {
  return e.fingerprint ? `for fingerprint ${e.fingerprint}` : `for ${e.rule} on "${e.path}"`;
}

/**
 * Applies inline directives, then the ignore list, then the baseline to one document's findings, and adds the
 * meta findings (suppression without reason, unused, malformed, expired ignore entries written in this file).
 * Returns a new, sorted list; nothing is dropped.
 */
export function applySuppressions(findings: readonly Finding[], ctx: SuppressionContext): Finding[] {
  const lines = new LineIndex(ctx.text);
  const out: Finding[] = findings.map((f) => ({ ...f }));
  const meta = new MetaFindings(ctx, lines);

  // 1. Inline directives. Line directives are tried before file directives, so a file directive that only
  // duplicates line directives is reported as unused.
  const directives = findDirectives(ctx.text, ctx.kind, ctx.file, lines, ctx.tree);
  const uses = directives.map((d) => new Map(d.ruleIds.map((id) => [id, 0])));
  const usable = (i: number) => !directives[i]!.problem;
  for (const f of out) {
    if (f.suppressed) continue;
    const lineHit = directives.findIndex(
      (d, i) => usable(i) && d.scope === 'line' && d.ruleIds.includes(f.ruleId) && d.lines.includes(f.range.start.line),
    );
    const hit =
      lineHit >= 0
        ? lineHit
        : directives.findIndex((d, i) => usable(i) && d.scope === 'file' && d.ruleIds.includes(f.ruleId));
    if (hit < 0) continue;
    const d = directives[hit]!;
    f.suppressed = { kind: d.scope === 'file' ? 'file' : 'inline', reason: d.reason };
    uses[hit]!.set(f.ruleId, uses[hit]!.get(f.ruleId)! + 1);
  }
  for (const [i, d] of directives.entries()) {
    const text = ctx.text.slice(d.start, d.end);
    if (d.problem) {
      meta.add(INVALID_SUPPRESSION, d, text, `Malformed suppression comment: ${d.problem}; it suppresses nothing`);
      continue;
    }
    const unknown = d.ruleIds.filter((id) => ctx.severityOf(id) === undefined);
    for (const id of unknown)
      meta.add(
        INVALID_SUPPRESSION,
        d,
        text + '\0' + id,
        `Suppression comment names unknown rule id "${id}"; it suppresses nothing`,
      );
    if (!d.reason) {
      const ids = d.ruleIds.join(', ');
      meta.add(
        SUPPRESSION_WITHOUT_REASON,
        d,
        text,
        `Suppression of ${ids} gives no reason; write "${d.scope === 'file' ? DIRECTIVE + '-file' : DIRECTIVE} ${ids}: <why this is safe>"`,
      );
    }
    for (const id of d.ruleIds) {
      if (unknown.includes(id) || ctx.severityOf(id) === 'off' || uses[i]!.get(id)! > 0) continue;
      const where = d.scope === 'file' ? 'in this file' : 'on the line it covers';
      meta.add(
        UNUSED_SUPPRESSION,
        d,
        text + '\0' + id,
        `Unused suppression: ${id} reports nothing ${where}; remove the comment`,
      );
    }
  }

  // Expired ignore entries are reported where they are written, when that file is the one being scanned.
  for (const e of ctx.inputs.ignore) {
    if (!e.expires || e.source?.file !== ctx.file || !isExpired(e.expires, ctx.inputs.now)) continue;
    const range = e.source.expiresRange ?? e.source.range;
    meta.addAt(
      EXPIRED_IGNORE,
      range,
      `${describeEntry(e)}\0${e.expires}`,
      `Ignore entry ${describeEntry(e)} expired on ${e.expires}; it no longer suppresses anything (its reason was: ${e.reason})`,
    );
  }
  out.push(...meta.findings);

  // 2. The ignore list. An expired entry does not suppress; the finding carries a note pointing at the entry.
  for (const f of out) {
    if (f.suppressed) continue;
    for (const e of ctx.inputs.ignore) {
      if (!entryMatches(e, f)) continue;
      if (e.expires && isExpired(e.expires, ctx.inputs.now)) {
        if (e.source) {
          (f.related ??= []).push({
            file: e.source.file,
            range: e.source.expiresRange ?? e.source.range,
            message: `An ignore entry covered this finding until ${e.expires}; it has expired (its reason was: ${e.reason})`,
          });
        }
        continue;
      }
      f.suppressed = { kind: 'ignore-file', reason: e.reason } satisfies Suppression;
      break;
    }
  }

  // 3. The baseline.
  const base = ctx.inputs.baseline;
  if (base) {
    for (const f of out) {
      if (!f.suppressed && base.fingerprints.has(f.fingerprint))
        f.suppressed = { kind: 'baseline', reason: `in baseline ${base.file}` };
    }
  }
  return out.sort(compareFindings);
}

/** Builds meta findings with stable fingerprints (rule id, file, directive text, occurrence). */
class MetaFindings {
  readonly findings: Finding[] = [];
  private readonly occurrences = new Map<string, number>();

  constructor(
    private readonly ctx: SuppressionContext,
    private readonly lines: LineIndex,
  ) {}

  add(ruleId: string, d: Directive, key: string, message: string): void {
    this.addAt(ruleId, this.lines.rangeOf(d.start, d.end), key, message);
  }

  addAt(ruleId: string, range: Range, key: string, message: string): void {
    const severity = this.ctx.severityOf(ruleId);
    if (severity === 'off' || severity === undefined) return;
    const occKey = ruleId + '\0' + key;
    const n = this.occurrences.get(occKey) ?? 0;
    this.occurrences.set(occKey, n + 1);
    this.findings.push({
      ruleId,
      category: 'other',
      severity,
      message,
      file: this.ctx.file,
      range,
      fingerprint: fingerprint(ruleId, this.ctx.file, key, n),
      cwe: [],
    });
  }
}
