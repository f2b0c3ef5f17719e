/**
 * The ignore file, `.mcp-sentinel/ignore.json` (JSONC): `{ "ignore": [entries] }`, and the entry validator it
 * shares with the config's `ignore` list. An entry accepts a finding by fingerprint, or by rule id plus a path
 * glob; it needs a reason and may expire. Entries keep where they were written, so an expired one is reported at
 * its own `expires` value.
 */
import { existsSync } from 'node:fs';
import { didYouMean } from '../core/suggest';
import { join, relative, sep } from 'node:path';
import type { Node } from 'jsonc-parser';
import { IGNORE_FILE } from '../../shared/projectFiles';
import { ErrorSink, expectType, oneOf, parseProjectJson, projectProperties, readProjectFile } from './jsonCheck';
import type { ConfigError, IgnoreEntry } from './types';

/** The outcome of loading an ignore file. */
export interface LoadedIgnoreFile {
  /** Valid entries, with their source locations. */
  entries: IgnoreEntry[];
  /** Problems, in file order. */
  errors: ConfigError[];
  /** Absolute path of the file read, when one was found. */
  file?: string;
}

const IGNORE_KEYS = ['rule', 'path', 'fingerprint', 'reason', 'expires'];

/** Path of `file` relative to `root`, forward slashes (how ignore entries record their source). */
export function rootRelative(root: string, file: string): string {
  return relative(root, file).split(sep).join('/');
}

/** True when `s` is an ISO date (YYYY-MM-DD) or date-time that names a real calendar day. */
export function isIsoDate(s: string): boolean {
  const m = /^(\d{4})-(\d{2})-(\d{2})(?:T\d{2}:\d{2}(?::\d{2}(?:\.\d+)?)?(?:Z|[+-]\d{2}:\d{2}))?$/.exec(s);
  if (!m) return false;
  const d = new Date(Date.UTC(Number(m[1]), Number(m[2]) - 1, Number(m[3])));
  return (
    d.getUTCFullYear() === Number(m[1]) &&
    d.getUTCMonth() === Number(m[2]) - 1 &&
    d.getUTCDate() === Number(m[3]) &&
    !Number.isNaN(Date.parse(s))
  );
}

/**
 * Validates a list of ignore entries (the config's `ignore` or the ignore file's): `what` names the list in
 * messages, `known` holds the rule ids an entry may name, `relFile` is the file's root-relative path (the source
 * recorded in each entry). Undefined when the node is not a list.
 */
export function ignoreEntries(
  node: Node,
  what: string,
  known: Set<string>,
  sink: ErrorSink,
  relFile: string,
): IgnoreEntry[] | undefined {
  if (!expectType(node, 'array', what, sink)) return undefined;
  const out: IgnoreEntry[] = [];
  for (const [i, el] of (node.children ?? []).entries()) {
    const where = `${what}[${i}]`;
    if (!expectType(el, 'object', where, sink)) continue;
    let ok = true;
    const fail = (n: Node, msg: string) => {
      sink.on(n, msg);
      ok = false;
    };
    const entry: IgnoreEntry = { reason: '' };
    let expiresNode: Node | undefined;
    for (const p of projectProperties(el, sink)) {
      if (!IGNORE_KEYS.includes(p.key)) {
        fail(p.keyNode, `${where}: unknown property "${p.key}" (expected ${oneOf(IGNORE_KEYS)})`);
        continue;
      }
      if (p.value.type !== 'string') {
        fail(p.value, `${where}: "${p.key}" must be a string`);
        continue;
      }
      const s = p.value.value as string;
      if (p.key === 'rule') {
        if (!known.has(s)) fail(p.value, `${where}: unknown rule id "${s}"${didYouMean(s, known)}`);
        else entry.rule = s;
      } else if (p.key === 'path') {
        if (s === '') fail(p.value, `${where}: "path" must not be empty`);
        else entry.path = s;
      } else if (p.key === 'fingerprint') {
        if (s === '') fail(p.value, `${where}: "fingerprint" must not be empty`);
        else entry.fingerprint = s;
      } else if (p.key === 'reason') {
        if (s.trim() === '') fail(p.value, `${where}: "reason" must say why the finding is acceptable`);
        else entry.reason = s.trim();
      } else if (p.key === 'expires') {
        if (!isIsoDate(s)) fail(p.value, `${where}: "expires" must be an ISO date such as "2025-12-31", found "${s}"`);
        else {
          entry.expires = s;
          expiresNode = p.value;
        }
      }
    }
    const has = (k: string) => projectProperties(el, new ErrorSink(sink.file, sink.text)).some((p) => p.key === k);
    if (!has('reason')) fail(el, `${where}: missing required property "reason"`);
    if (!has('path') && !has('fingerprint')) fail(el, `${where}: needs "fingerprint", or "rule" with "path"`);
    if (has('path') && !has('rule'))
      fail(el, `${where}: "path" needs a "rule" (the rule id to ignore under that path)`);
    if (!ok) continue;
    entry.source = { file: relFile, range: sink.lines.rangeOf(el.offset, el.offset + el.length) };
    if (expiresNode)
      entry.source.expiresRange = sink.lines.rangeOf(expiresNode.offset, expiresNode.offset + expiresNode.length);
    out.push(entry);
  }
  return out;
}

/**
 * Loads `<root>/.mcp-sentinel/ignore.json` when it exists: `{ "ignore": [entries] }` (JSONC), each entry as in
 * the config's `ignore` list.
 */
export function loadIgnoreFile(root: string, knownRuleIds: Iterable<string>): LoadedIgnoreFile {
  const file = join(root, ...IGNORE_FILE.split('/'));
  if (!existsSync(file)) return { entries: [], errors: [] };
  const errors: ConfigError[] = [];
  const text = readProjectFile(file, errors);
  if (text === undefined) return { entries: [], errors, file };
  return { ...parseIgnoreFile(text, file, knownRuleIds, rootRelative(root, file)), file };
}

/** Validates ignore-file text. */
export function parseIgnoreFile(
  text: string,
  file: string,
  knownRuleIds: Iterable<string>,
  relFile = file,
): { entries: IgnoreEntry[]; errors: ConfigError[] } {
  const sink = new ErrorSink(file, text);
  const root = parseProjectJson(sink);
  if (!root || !expectType(root, 'object', 'the ignore file', sink)) return { entries: [], errors: sink.errors };
  let entries: IgnoreEntry[] = [];
  let found = false;
  for (const p of projectProperties(root, sink)) {
    if (p.key === '$schema') continue;
    if (p.key !== 'ignore') {
      sink.on(p.keyNode, `unknown property "${p.key}" (expected "ignore")`);
      continue;
    }
    found = true;
    entries = ignoreEntries(p.value, '"ignore"', new Set(knownRuleIds), sink, relFile) ?? [];
  }
  if (!found) sink.on(root, 'the ignore file must have an "ignore" list');
  return { entries, errors: sink.errors };
}
