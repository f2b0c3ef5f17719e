/**
 * Comments of a document in its kind's syntax, for the suppression directives: tree-sitter comment nodes for JS/TS
 * and Python (with scanners as a fallback when the parsers are not loaded), jsonc-parser's scanner for JSON, the
 * `yaml` lexer for YAML, and `#`/`//` scanners for Dockerfiles, dotenv and other text files, whose syntax per file
 * name comes from the file-type table (shared/languages.ts). Text inside string literals is never a comment.
 */
import { Lexer } from 'yaml';
import { createScanner } from 'jsonc-parser';
import { commentSyntaxOf } from '../core/fileKinds';
import type { DetectContext } from '../core/rule';
import { treeOf, type TSTree } from './parse';

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

/**
 * Finds the comments of a document in its kind's syntax. JS/TS and Python read the context's memoised parse tree,
 * so a scan that already parsed the document for its rules does not parse it again.
 */
export function commentsOf(ctx: DetectContext): Comment[] {
  const { text, kind, path } = ctx;
  switch (kind) {
    case 'js':
    case 'python': {
      const fromTree = treeComments(ctx);
      if (fromTree) return fromTree;
      return kind === 'js'
        ? cLikeComments(text)
        : hashComments(text, { quotes: `'"`, triple: true, lineStartOnly: false });
    }
    case 'mcp-config':
    case 'vscode-settings':
    case 'json':
      // Every JSON kind is read as JSONC: a comment is found even in a file whose readers would reject it.
      return jsonComments(text);
    case 'yaml':
      return yamlComments(text);
    case 'dockerfile':
      // Dockerfile comments start a line; a `#` elsewhere is part of an instruction's arguments.
      return hashComments(text, { quotes: '', triple: false, lineStartOnly: true });
    case 'dotenv':
      return hashComments(text, { quotes: `'"`, triple: false, lineStartOnly: false });
    case 'text': {
      // The `text` kind covers many languages: the file-type table gives each one's markers. Types without comments
      // (plain text, XML) are read with `#`, the most common marker in the config files this kind holds.
      const syntax = commentSyntaxOf(path, kind);
      const slashes = syntax?.line.includes('//') ?? false;
      const hashes = !syntax || syntax.line.includes('#');
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

/** Comment nodes from the context's parse tree; undefined when the parsers are not initialised (the scanners take over). */
function treeComments(ctx: DetectContext): Comment[] | undefined {
  let tree: TSTree | undefined;
  try {
    tree = treeOf(ctx);
  } catch {
    return undefined;
  }
  return tree ? commentsOfTree(ctx.text, tree) : undefined;
}

/** The comment nodes of a parse tree. */
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
