// JSON-with-comments parsing shared by every JSON-aware rule. jsonc-parser's UMD entry point loads its parts with
// dynamic requires that esbuild cannot follow, so the ESM build is imported directly (same code, same API).
import {
  findNodeAtLocation,
  parseTree,
  printParseErrorCode,
  type JSONPath,
  type Node,
  type ParseError,
} from 'jsonc-parser/lib/esm/main.js';
import { jsonNestingDepth, MAX_NESTING_DEPTH, nestedTooDeep } from '../../core/depth';
import type { DetectContext, Span } from '../../core/rule';
import { regexText } from '../../core/text';

export type { JSONPath, Node } from 'jsonc-parser/lib/esm/main.js';

/** A parsed JSONC document: whatever jsonc-parser recovered, and the errors it met on the way. */
export interface JsonDoc {
  /** The root value, or undefined when nothing could be recovered (empty or hopeless text) or it nests too deeply. */
  root: Node | undefined;
  /** Syntax errors, in document order, with a readable name for each. */
  errors: { code: string; offset: number; length: number }[];
  /**
   * Set when the document nests deeper than MAX_NESTING_DEPTH (core/depth.ts): it is not parsed, `root` is undefined
   * and this is the reason to report ("nested deeper than 500 levels").
   */
  tooDeep?: string;
}

/**
 * Parses the document as JSONC (comments and trailing commas allowed, as every MCP client accepts them), once per
 * document. Syntax errors never throw: jsonc-parser recovers what it can, and rules see that partial tree.
 */
export function jsonDoc(ctx: DetectContext): JsonDoc {
  return ctx.memo('json:jsonc', () => parseJsonTree(ctx.text));
}

/**
 * Parses JSONC text without memoisation (for tests and tools that have no detector context). jsonc-parser's parseTree
 * recurses once per level, so text nested past the limit is not handed to it.
 */
export function parseJsonTree(text: string): JsonDoc {
  if (jsonNestingDepth(text) > MAX_NESTING_DEPTH) return { root: undefined, errors: [], tooDeep: nestedTooDeep() };
  const errors: ParseError[] = [];
  const root = parseTree(text, errors, { allowTrailingComma: true, disallowComments: false, allowEmptyContent: true });
  return {
    root,
    errors: errors.map((e) => ({ code: printParseErrorCode(e.error), offset: e.offset, length: e.length })),
  };
}

/** The node at `path` below `node`, if any. */
export function nodeAt(node: Node | undefined, path: JSONPath): Node | undefined {
  return node ? findNodeAtLocation(node, path) : undefined;
}

/** The property nodes of an object node (each has a key child and, when not truncated, a value child). */
export function jsonProperties(node: Node | undefined): { key: Node; value: Node | undefined; prop: Node }[] {
  if (!node || node.type !== 'object' || !node.children) return [];
  const out: { key: Node; value: Node | undefined; prop: Node }[] = [];
  for (const prop of node.children) {
    const key = prop.children?.[0];
    if (prop.type === 'property' && key && key.type === 'string') out.push({ key, value: prop.children?.[1], prop });
  }
  return out;
}

/** The value node of property `name` of an object node (the last one when a key repeats, as JSON.parse does). */
export function propValue(node: Node | undefined, name: string): Node | undefined {
  let found: Node | undefined;
  for (const p of jsonProperties(node)) if (p.key.value === name) found = p.value;
  return found;
}

/** A string value together with the span of its characters in the document (inside the quotes). */
export interface JsonString extends Span {
  /** The decoded value. */
  value: string;
  /** The string node itself (its offset and length include the quotes). */
  node: Node;
  /**
   * True when the raw text between the quotes equals the decoded value (no escapes), so an index into `value`
   * is also an offset from `start`. Sub-spans are only reported when this holds.
   */
  verbatim: boolean;
}

/** Describes a string node with its content span, or undefined when the node is not a string. */
export function stringOf(text: string, node: Node | undefined): JsonString | undefined {
  if (!node || node.type !== 'string' || typeof node.value !== 'string') return undefined;
  const start = node.offset + 1;
  // A string cut off by the end of the document has no closing quote: its content runs to the node's end.
  const closed = node.length >= 2 && text.charCodeAt(node.offset + node.length - 1) === 34;
  const end = closed ? node.offset + node.length - 1 : node.offset + node.length;
  return { value: node.value, node, start, end, verbatim: text.slice(start, end) === node.value };
}

/**
 * The span of `value.slice(from, to)` in the document when the string is verbatim, otherwise the whole string
 * content (an escaped string cannot be mapped character by character without decoding it again).
 */
export function subSpan(s: JsonString, from: number, to: number): Span {
  return s.verbatim ? { start: s.start + from, end: s.start + to } : { start: s.start, end: s.end };
}

/** The indentation unit the document uses (a tab, or the smallest run of leading spaces), defaulting to 2 spaces. */
export function indentUnit(text: string): string {
  let best: number | undefined;
  for (const line of regexText(text).split('\n')) {
    if (line.startsWith('\t')) return '\t';
    const n = line.length - line.trimStart().length;
    if (n > 0 && line.trim() !== '' && (best === undefined || n < best)) best = n;
  }
  return ' '.repeat(best ?? 2);
}

/** The leading whitespace of the line that holds `offset` (a lone CR ends a line too, as in core/text.ts). */
export function lineIndentAt(text: string, offset: number): string {
  const ls = Math.max(text.lastIndexOf('\n', offset - 1), text.lastIndexOf('\r', offset - 1)) + 1;
  let i = ls;
  while (i < text.length && (text[i] === ' ' || text[i] === '\t')) i++;
  return text.slice(ls, i);
}

/** The line break the document uses (CR LF, LF, or a lone CR in a CR-only file). */
export function eolOf(text: string): string {
  if (text.includes('\r\n')) return '\r\n';
  return text.includes('\r') && !text.includes('\n') ? '\r' : '\n';
}
