// How deeply a file may nest before the analyses refuse it. Parsers and tree walkers recurse at least once per level
// of nesting: jsonc-parser's parseTree exhausted V8's stack near 5,000 levels (a 30 KB tools.json), the yaml package
// gives up near 800, and every rule that followed a tree down went with them. The checks here are iterative and stop
// as soon as the limit is passed, so they cost one pass over the text at most and never recurse themselves.
import { createScanner } from 'jsonc-parser/lib/esm/main.js';
import type { FileKind } from '../../shared/types';

/**
 * The deepest nesting the analyses accept in one file: brackets and braces in JSON, JS/TS and Python, block and flow
 * collections in YAML. Real files stay far below it (configs and tool lists nest about a dozen levels, source code
 * a few dozen); every recursive step of the analyses is bounded by it or iterative, and fits the stack many times
 * over at this depth.
 */
export const MAX_NESTING_DEPTH = 500;

/** The reason a file nested deeper than `limit` is skipped, as reports show it. */
export function nestedTooDeep(limit = MAX_NESTING_DEPTH): string {
  return `nested deeper than ${limit} levels`;
}

/**
 * Why a file must be skipped before it is analysed, or undefined when its nesting is within the limit. Front ends
 * call it on every file they scan and report `{ file, reason }` as a skipped file; the analyses apply the same check
 * themselves and return empty results for such a file, so a caller that does not ask gets no findings from the
 * nested structure but never a crash.
 */
export function nestingProblem(
  kind: FileKind | undefined,
  text: string,
  limit = MAX_NESTING_DEPTH,
): string | undefined {
  let depth: number;
  switch (kind) {
    case 'json':
    case 'mcp-config':
    case 'vscode-settings':
      depth = jsonNestingDepth(text, limit);
      break;
    case 'js':
      depth = codeNestingDepth(text, 'js', limit);
      break;
    case 'python':
      depth = codeNestingDepth(text, 'python', limit);
      break;
    case 'yaml':
      depth = yamlNestingDepth(text, limit);
      break;
    default:
      return undefined;
  }
  return depth > limit ? nestedTooDeep(limit) : undefined;
}

/**
 * The deepest nesting of arrays and objects in JSON or JSONC text, read with jsonc-parser's scanner (the tokens
 * parseTree sees, comments and strings included). Stops counting once the depth passes `limit`.
 */
export function jsonNestingDepth(text: string, limit = MAX_NESTING_DEPTH): number {
  // SyntaxKind is a const enum in jsonc-parser's typings: 1/3 open a brace/bracket, 2/4 close them, 17 is the end.
  const scanner = createScanner(text, true);
  let depth = 0;
  let max = 0;
  for (let t: number = scanner.scan(); t !== 17; t = scanner.scan()) {
    if (t === 1 || t === 3) {
      if (++depth > max) max = depth;
      if (max > limit) break;
    } else if ((t === 2 || t === 4) && depth > 0) depth--;
  }
  return max;
}

// The last answer of `codeNestingDepth`: a worker asks it of each job's text twice (`nestingProblem` before the
// scan, then `treeOf` before the parse), a pass over the whole text each time.
let last: { text: string; lang: 'js' | 'python'; limit: number; depth: number } | undefined;

/**
 * The deepest bracket nesting (`(`, `[`, `{`, and `${` in template literals) of JS/TS or Python source, outside
 * strings and comments. Regular expression literals are read as code, which can only overcount.
 */
export function codeNestingDepth(text: string, lang: 'js' | 'python', limit = MAX_NESTING_DEPTH): number {
  if (last && last.text === text && last.lang === lang && last.limit === limit) return last.depth;
  const depth = measureCodeNesting(text, lang, limit);
  last = { text, lang, limit, depth };
  return depth;
}

function measureCodeNesting(text: string, lang: 'js' | 'python', limit: number): number {
  let depth = 0;
  let max = 0;
  // Open template literals (JS): the bracket depth at which each `${` was opened, to resume the template after it.
  const templates: number[] = [];
  let i = 0;
  const n = text.length;
  /** Skips a quoted string starting at `i` (the quote), returning the offset after it. */
  const skipString = (quote: string, triple: boolean): number => {
    let j = i + (triple ? 3 : 1);
    while (j < n) {
      const c = text[j]!;
      if (c === '\\') j += 2;
      else if (triple ? text.startsWith(quote.repeat(3), j) : c === quote) return j + (triple ? 3 : 1);
      else if (!triple && (c === '\n' || c === '\r'))
        return j; // an unterminated string ends with its line
      else j++;
    }
    return n;
  };
  /** Skips template text starting at `i`; stops after the closing backtick or after a `${` (entering code). */
  const skipTemplate = (): number => {
    let j = i;
    while (j < n) {
      const c = text[j]!;
      if (c === '\\') j += 2;
      else if (c === '`') return j + 1;
      else if (c === '$' && text[j + 1] === '{') {
        templates.push(depth);
        if (++depth > max) max = depth;
        return j + 2;
      } else j++;
    }
    return n;
  };
  while (i < n && max <= limit) {
    const c = text[i]!;
    if (c === '(' || c === '[' || c === '{') {
      if (++depth > max) max = depth;
      i++;
    } else if (c === ')' || c === ']' || c === '}') {
      if (depth > 0) depth--;
      i++;
      if (c === '}' && templates.length && templates[templates.length - 1] === depth) {
        templates.pop();
        i = skipTemplate();
      }
    } else if (c === '"' || c === "'") {
      const triple = lang === 'python' && text.startsWith(c.repeat(3), i);
      i = skipString(c, triple);
    } else if (c === '`' && lang === 'js') {
      i++;
      i = skipTemplate();
    } else if (c === '#' && lang === 'python') {
      i = lineEndFrom(text, i);
    } else if (c === '/' && lang === 'js' && text[i + 1] === '/') {
      i = lineEndFrom(text, i);
    } else if (c === '/' && lang === 'js' && text[i + 1] === '*') {
      const e = text.indexOf('*/', i + 2);
      i = e < 0 ? n : e + 2;
    } else i++;
  }
  return max;
}

/**
 * An upper bound of the nesting of YAML text: for each line, the block collections open around it (by indentation),
 * the `- ` and `? ` entries that start on it, and the flow brackets open at its end, outside quotes and comments.
 */
export function yamlNestingDepth(text: string, limit = MAX_NESTING_DEPTH): number {
  const indents: number[] = [];
  let flow = 0;
  let max = 0;
  let pos = 0;
  while (pos <= text.length && max <= limit) {
    const end = lineEndFrom(text, pos);
    const line = text.slice(pos, end);
    pos = end + (text[end] === '\r' && text[end + 1] === '\n' ? 2 : 1);
    let i = 0;
    while (line[i] === ' ') i++;
    if (i === line.length || line[i] === '#') continue;
    if (flow === 0) {
      while (indents.length && indents[indents.length - 1]! >= i) indents.pop();
      indents.push(i);
    }
    let entries = 0;
    while ((line[i] === '-' || line[i] === '?') && (line[i + 1] === ' ' || i + 1 === line.length)) {
      entries++;
      i += 2;
      while (line[i] === ' ') i++;
    }
    let deepest = flow;
    for (; i < line.length; i++) {
      const c = line[i]!;
      if (c === '#' && (i === 0 || line[i - 1] === ' ')) break;
      if (c === '"' || c === "'") {
        const close = line.indexOf(c, i + 1);
        if (close < 0) break;
        i = close;
      } else if (c === '[' || c === '{') deepest = Math.max(deepest, ++flow);
      else if ((c === ']' || c === '}') && flow > 0) flow--;
    }
    max = Math.max(max, indents.length + entries + deepest);
  }
  return max;
}

/** The offset of the line break that ends the line holding `from` (a lone CR ends a line too), or the text length. */
function lineEndFrom(text: string, from: number): number {
  for (let j = from; j < text.length; j++) {
    const c = text.charCodeAt(j);
    if (c === 10 || c === 13) return j;
  }
  return text.length;
}
