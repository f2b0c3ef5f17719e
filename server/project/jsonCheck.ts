/**
 * Small helpers for validating a project file (JSON or JSONC) by hand against its parse tree. Every project file
 * (config, ignore file, baseline, pin file) is read and checked through them, so every problem is a ConfigError
 * with the line and column a person can jump to. Hand validation (rather than mapping a schema validator's instance
 * paths back to nodes) keeps every message pointed at the exact key or value that is wrong.
 */
import { existsSync } from 'node:fs';
import { parseTree, printParseErrorCode, type Node, type ParseError } from 'jsonc-parser';
import { jsonNestingDepth, MAX_NESTING_DEPTH, nestedTooDeep } from '../core/depth';
import { PROJECT_FILE_MAX_BYTES, readTextFile } from '../core/files';
import { LineIndex } from '../core/text';
import type { ConfigError } from './types';

/** Collects errors for one file, converting offsets into one-based lines and columns. */
export class ErrorSink {
  /** Offset ↔ position conversion for `text`, also used for the source ranges of valid entries. */
  readonly lines: LineIndex;

  /**
   * `file` is the absolute path the errors name, `text` its content. Errors go to `errors`: a fresh list by
   * default, or the caller's when several files (or several passes over one file) report into one list.
   */
  constructor(
    readonly file: string,
    readonly text: string,
    readonly errors: ConfigError[] = [],
  ) {
    this.lines = new LineIndex(text);
  }

  /** Records an error over `length` characters at `offset`. */
  at(offset: number, length: number, message: string): void {
    const range = this.lines.rangeOf(offset, offset + Math.max(0, length));
    this.errors.push({
      file: this.file,
      line: range.start.line + 1,
      column: range.start.character + 1,
      range,
      message,
    });
  }

  /** Records an error on a node (a value, or a property's key when given the key node). */
  on(node: Node, message: string): void {
    this.at(node.offset, node.length, message);
  }
}

/**
 * Reads a project file, recording an unreadable one as an error at its first character (`what` names the file in
 * the message, as in "cannot read the baseline (ENOENT)").
 */
export function readProjectFile(file: string, errors: ConfigError[], what = 'the file'): string | undefined {
  // Project files come with the repository, so they are read like any untrusted file: a regular file only (a FIFO
  // or a link to /dev/zero is refused, never waited on) and never more than a bounded size.
  const r = readTextFile(file, { maxBytes: PROJECT_FILE_MAX_BYTES });
  if (r.ok) return r.text;
  // A path that does not exist at all is simply "not found" here: the reader's wording suspects a broken symlink.
  new ErrorSink(file, '', errors).at(0, 0, `cannot read ${what} (${existsSync(file) ? r.reason : 'not found'})`);
  return undefined;
}

/** How a project file's text is parsed, and how its syntax errors read. */
export interface JsonSyntax {
  /** Comments and trailing commas are allowed (JSONC, for files people write); false means strict JSON. */
  jsonc: boolean;
  /** An empty file is no value rather than a syntax error. */
  allowEmpty: boolean;
  /**
   * Report only the first syntax error. In a file the tool writes, the errors after the first are echoes of it
   * (a missing bracket is also a missing brace), and the first one is what to fix.
   */
  firstErrorOnly: boolean;
  /** The message of a syntax error, from jsonc-parser's code (`PropertyNameExpected`) and the same in words. */
  message(words: string, code: string): string;
}

/** The syntax of the files people write: the config and the ignore file (JSONC, every syntax error reported). */
export const JSONC_SYNTAX: JsonSyntax = {
  jsonc: true,
  allowEmpty: true,
  firstErrorOnly: false,
  message: (words) => `JSON syntax error: ${words}`,
};

/**
 * Why a project file's text must not be parsed, or undefined when it may be: jsonc-parser's parseTree recurses once
 * per level of nesting, so a config, ignore file, baseline or pin file nested thousands of levels deep (a few KB of
 * brackets in a pull request) would exhaust the stack and abort the scan with an error that names no file. The check
 * is the analyses' own (core/depth.ts): iterative, and it stops once the limit is passed.
 */
export function projectJsonProblem(text: string): string | undefined {
  return jsonNestingDepth(text) > MAX_NESTING_DEPTH ? nestedTooDeep() : undefined;
}

/**
 * Parses a project file, reporting syntax errors with their positions; undefined when there is a syntax error,
 * the file nests deeper than the analyses accept, or (when the syntax allows it) the file is empty.
 */
export function parseProjectJson(sink: ErrorSink, syntax: JsonSyntax = JSONC_SYNTAX): Node | undefined {
  const tooDeep = projectJsonProblem(sink.text);
  if (tooDeep) {
    // Reported at the first character with the sink's file, so the CLI's message and the editor's diagnostic both
    // say which file it is; no real project file comes near the limit.
    sink.at(0, 0, `the file is ${tooDeep}: it is not read`);
    return undefined;
  }
  const errors: ParseError[] = [];
  const root = parseTree(sink.text, errors, {
    allowTrailingComma: syntax.jsonc,
    disallowComments: !syntax.jsonc,
    allowEmptyContent: syntax.allowEmpty,
  });
  for (const e of syntax.firstErrorOnly ? errors.slice(0, 1) : errors) {
    const code = printParseErrorCode(e.error);
    sink.at(e.offset, e.length, syntax.message(describeParseError(code), code));
  }
  return errors.length ? undefined : root;
}

/** Turns jsonc-parser's error codes (e.g. `PropertyNameExpected`) into words. */
function describeParseError(code: string): string {
  return code.replace(/([a-z])([A-Z])/g, '$1 $2').toLowerCase();
}

/** A property of an object node: its key node, key text and value node. */
export interface Property {
  /** The key's node (a string), where "unknown property" errors point. */
  keyNode: Node;
  /** The key text. */
  key: string;
  /** The value node. */
  value: Node;
}

/** The properties of an object node, reporting duplicate keys (the later one wins in JSON.parse, silently). */
export function projectProperties(node: Node, sink: ErrorSink): Property[] {
  const out: Property[] = [];
  const seen = new Set<string>();
  for (const p of node.children ?? []) {
    const keyNode = p.children?.[0];
    const value = p.children?.[1];
    if (!keyNode || !value) continue;
    const key = String(keyNode.value);
    if (seen.has(key)) sink.on(keyNode, `duplicate property "${key}"`);
    seen.add(key);
    out.push({ keyNode, key, value });
  }
  return out;
}

/** A human name for a node's JSON type, for "expected X, found Y" messages. */
export function typeName(node: Node): string {
  if (node.type === 'number') return Number.isInteger(node.value) ? 'an integer' : 'a number';
  const names: Record<string, string> = {
    object: 'an object',
    array: 'an array',
    string: 'a string',
    boolean: 'a boolean',
    null: 'null',
  };
  return names[node.type] ?? node.type;
}

/** Checks a node's type; records `<what> must be <expected>, found <actual>` on mismatch. */
export function expectType(node: Node, type: Node['type'], what: string, sink: ErrorSink): boolean {
  if (node.type === type) return true;
  const expected = {
    object: 'an object',
    array: 'an array',
    string: 'a string',
    boolean: 'a boolean',
    number: 'a number',
    null: 'null',
    property: 'a property',
  }[type];
  sink.on(node, `${what} must be ${expected}, found ${typeName(node)}`);
  return false;
}

/** Reads an array of strings; records an error on each non-string element. */
export function stringArray(node: Node, what: string, sink: ErrorSink): string[] | undefined {
  if (!expectType(node, 'array', what, sink)) return undefined;
  const out: string[] = [];
  let ok = true;
  for (const [i, el] of (node.children ?? []).entries()) {
    if (expectType(el, 'string', `${what}[${i}]`, sink)) {
      if (el.value === '') {
        sink.on(el, `${what}[${i}] must not be empty`);
        ok = false;
      } else out.push(el.value as string);
    } else ok = false;
  }
  return ok ? out : undefined;
}

/** Quotes a list for messages: `"a", "b" or "c"`. */
export function oneOf(values: readonly string[]): string {
  const q = values.map((v) => `"${v}"`);
  return q.length <= 1 ? q.join('') : `${q.slice(0, -1).join(', ')} or ${q[q.length - 1]}`;
}
