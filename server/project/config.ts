/**
 * The project config, `.mcp-sentinel.json` (JSONC): loading and validating it. Every problem becomes a ConfigError
 * with its line and column; a bad file never crashes the loader and never falls back silently to defaults (the
 * caller decides: the CLI exits with code 2, the editor shows diagnostics).
 */
import { existsSync } from 'node:fs';
import { didYouMean } from '../core/suggest';
import { join, resolve } from 'node:path';
import type { Node } from 'jsonc-parser';
import { CONFIG_FILE } from '../../shared/projectFiles';
import { CATEGORIES, SEVERITIES, type Category, type FailOn, type Severity } from '../../shared/types';
import { checkCustomPattern } from './customPattern';
import { ignoreEntries, rootRelative } from './ignoreFile';
import {
  ErrorSink,
  expectType,
  oneOf,
  parseProjectJson,
  projectProperties,
  readProjectFile,
  stringArray,
  type Property,
} from './jsonCheck';
import type { ConfigError, CustomRuleConfig, LimitsConfig, ProjectConfig, RuleSetting } from './types';

/** The outcome of loading a config: the valid parts, and every error (an empty list means the file is fine). */
export interface LoadedConfig {
  /** The validated config; invalid entries are left out (and reported in `errors`). */
  config: ProjectConfig;
  /** Problems, in file order. */
  errors: ConfigError[];
  /** Absolute path of the file read, when one was found. */
  file?: string;
}

const RULE_ID = /^[a-z0-9]+(?:-[a-z0-9]+)*$/;
const SETTINGS: readonly string[] = ['off', ...SEVERITIES];
const FAIL_ON: readonly string[] = [...SEVERITIES, 'none'];
const TOP_KEYS = [
  '$schema',
  'rules',
  'categories',
  'include',
  'exclude',
  'customRules',
  'ignore',
  'failOn',
  'baseline',
  'limits',
  'workers',
  'includeTests',
];
const CUSTOM_KEYS = ['id', 'message', 'severity', 'category', 'files', 'pattern', 'flags'];
const LIMIT_KEYS = ['maxFileSizeKB', 'timeoutMs'];

/** The top-level keys of the config that the validator accepts (the schema test keeps the schema in step). */
export const CONFIG_KEYS: readonly string[] = TOP_KEYS;

/**
 * Loads the project config: `explicitPath` when given (it must exist), else `<root>/.mcp-sentinel.json` when it
 * exists, else an empty config. `knownRuleIds` are the ids that `rules` and ignore entries may name besides the
 * file's own custom rules (built-in and meta rules).
 */
export function loadProjectConfig(
  root: string,
  explicitPath: string | undefined,
  knownRuleIds: Iterable<string>,
): LoadedConfig {
  const file = explicitPath ? resolve(root, explicitPath) : join(root, CONFIG_FILE);
  if (!explicitPath && !existsSync(file)) return { config: {}, errors: [] };
  const errors: ConfigError[] = [];
  const text = readProjectFile(file, errors);
  if (text === undefined) return { config: {}, errors, file };
  const result = parseProjectConfig(text, file, knownRuleIds, rootRelative(root, file));
  return { ...result, file };
}

/** Validates config text. `relFile` is the file's path relative to the project root (for ignore-entry sources). */
export function parseProjectConfig(
  text: string,
  file: string,
  knownRuleIds: Iterable<string>,
  relFile = file,
): { config: ProjectConfig; errors: ConfigError[] } {
  const sink = new ErrorSink(file, text);
  const config: ProjectConfig = {};
  const root = parseProjectJson(sink);
  if (!root) return { config, errors: sink.errors };
  if (!expectType(root, 'object', 'the project config', sink)) return { config, errors: sink.errors };
  const props = projectProperties(root, sink);
  const byKey = new Map<string, Property>();
  for (const p of props) {
    if (!TOP_KEYS.includes(p.key))
      sink.on(p.keyNode, `unknown property "${p.key}" (expected ${oneOf(TOP_KEYS.filter((k) => k !== '$schema'))})`);
    else byKey.set(p.key, p);
  }

  // Custom rules first: their ids are valid in `rules` and in ignore entries.
  const known = new Set(knownRuleIds);
  const custom = byKey.get('customRules');
  if (custom) {
    const rules = customRules(custom.value, known, sink);
    if (rules.length) config.customRules = rules;
    for (const r of rules) known.add(r.id);
    // Ids of invalid custom rules still count as declared, so one mistake does not cascade into "unknown rule".
    for (const el of custom.value.children ?? []) {
      const id =
        el.type === 'object'
          ? projectProperties(el, new ErrorSink(file, text)).find((p) => p.key === 'id')?.value.value
          : undefined;
      if (typeof id === 'string') known.add(id);
    }
  }

  for (const p of props) {
    const v = p.value;
    switch (p.key) {
      case 'rules': {
        if (!expectType(v, 'object', '"rules"', sink)) break;
        const out: Record<string, RuleSetting> = {};
        for (const r of projectProperties(v, sink)) {
          if (!known.has(r.key)) sink.on(r.keyNode, `unknown rule id "${r.key}"${didYouMean(r.key, known)}`);
          else {
            const s = setting(r.value, `"rules"."${r.key}"`, sink);
            if (s) out[r.key] = s;
          }
        }
        config.rules = out;
        break;
      }
      case 'categories': {
        if (!expectType(v, 'object', '"categories"', sink)) break;
        const out: Partial<Record<Category, RuleSetting>> = {};
        for (const c of projectProperties(v, sink)) {
          if (!(CATEGORIES as readonly string[]).includes(c.key))
            sink.on(c.keyNode, `unknown category "${c.key}" (expected ${oneOf(CATEGORIES)})`);
          else {
            const s = setting(c.value, `"categories"."${c.key}"`, sink);
            if (s) out[c.key as Category] = s;
          }
        }
        config.categories = out;
        break;
      }
      case 'include':
      case 'exclude': {
        const globs = stringArray(v, `"${p.key}"`, sink);
        if (globs) config[p.key] = globs;
        break;
      }
      case 'ignore': {
        const entries = ignoreEntries(v, '"ignore"', known, sink, relFile);
        if (entries) config.ignore = entries;
        break;
      }
      case 'failOn':
        if (expectType(v, 'string', '"failOn"', sink)) {
          if (FAIL_ON.includes(v.value as string)) config.failOn = v.value as FailOn;
          else sink.on(v, `"failOn" must be ${oneOf(FAIL_ON)}, found "${v.value}"`);
        }
        break;
      case 'baseline':
        if (expectType(v, 'string', '"baseline"', sink)) {
          if (v.value === '') sink.on(v, '"baseline" must not be empty');
          else config.baseline = v.value as string;
        }
        break;
      case 'limits': {
        const limits = limitsOf(v, sink);
        if (limits) config.limits = limits;
        break;
      }
      case 'workers': {
        const n = integer(v, '"workers"', 1, 64, sink);
        if (n !== undefined) config.workers = n;
        break;
      }
      case 'includeTests':
        if (expectType(v, 'boolean', '"includeTests"', sink)) config.includeTests = v.value as boolean;
        break;
      default:
        break; // $schema, customRules (done above) and unknown keys (reported above)
    }
  }
  // Errors are found key by key (custom rules first); people read them top to bottom.
  sink.errors.sort((a, b) => a.line - b.line || a.column - b.column);
  return { config, errors: sink.errors };
}

/** A rule or category setting: `off` or a severity. */
function setting(node: Node, what: string, sink: ErrorSink): RuleSetting | undefined {
  if (!expectType(node, 'string', what, sink)) return undefined;
  if (SETTINGS.includes(node.value as string)) return node.value as RuleSetting;
  sink.on(node, `${what} must be ${oneOf(SETTINGS)}, found "${node.value}"`);
  return undefined;
}

/** An integer within bounds. */
function integer(node: Node, what: string, min: number, max: number, sink: ErrorSink): number | undefined {
  if (node.type !== 'number' || !Number.isInteger(node.value)) {
    sink.on(node, `${what} must be an integer from ${min} to ${max}`);
    return undefined;
  }
  const n = node.value as number;
  if (n < min || n > max) {
    sink.on(node, `${what} must be an integer from ${min} to ${max}, found ${n}`);
    return undefined;
  }
  return n;
}

function limitsOf(node: Node, sink: ErrorSink): LimitsConfig | undefined {
  if (!expectType(node, 'object', '"limits"', sink)) return undefined;
  const out: LimitsConfig = {};
  for (const p of projectProperties(node, sink)) {
    if (p.key === 'maxFileSizeKB') {
      const n = integer(p.value, '"limits"."maxFileSizeKB"', 1, 1024 * 1024, sink);
      if (n !== undefined) out.maxFileSizeKB = n;
    } else if (p.key === 'timeoutMs') {
      const n = integer(p.value, '"limits"."timeoutMs"', 1, 3_600_000, sink);
      if (n !== undefined) out.timeoutMs = n;
    } else sink.on(p.keyNode, `unknown property "${p.key}" in "limits" (expected ${oneOf(LIMIT_KEYS)})`);
  }
  return out;
}

/** Validates the `customRules` list; ids must be new, patterns must pass the RE2 gate. */
function customRules(node: Node, known: Set<string>, sink: ErrorSink): CustomRuleConfig[] {
  if (!expectType(node, 'array', '"customRules"', sink)) return [];
  const out: CustomRuleConfig[] = [];
  const ids = new Set<string>();
  for (const [i, el] of (node.children ?? []).entries()) {
    const where = `"customRules"[${i}]`;
    if (!expectType(el, 'object', where, sink)) continue;
    const props = projectProperties(el, sink);
    const get = (k: string) => props.find((p) => p.key === k);
    const idProp = get('id');
    const id = idProp?.value.type === 'string' ? (idProp.value.value as string) : undefined;
    const name = id ? `custom rule "${id}"` : where;
    let ok = true;
    const fail = (n: Node, msg: string) => {
      sink.on(n, msg);
      ok = false;
    };
    for (const p of props)
      if (!CUSTOM_KEYS.includes(p.key))
        fail(p.keyNode, `${name}: unknown property "${p.key}" (expected ${oneOf(CUSTOM_KEYS)})`);
    for (const k of ['id', 'message', 'severity', 'category', 'pattern'])
      if (!get(k)) fail(el, `${name}: missing required property "${k}"`);

    if (idProp) {
      if (id === undefined) fail(idProp.value, `${where}: "id" must be a string`);
      else if (!RULE_ID.test(id))
        fail(idProp.value, `${name}: "id" must be kebab-case (lower-case letters, digits and single hyphens)`);
      else if (known.has(id)) fail(idProp.value, `${name}: the id is already used by a built-in rule`);
      else if (ids.has(id)) fail(idProp.value, `${name}: the id is declared twice`);
    }
    const message = get('message');
    if (message && (message.value.type !== 'string' || (message.value.value as string).trim() === ''))
      fail(message.value, `${name}: "message" must be a non-empty string`);
    const severity = get('severity');
    if (
      severity &&
      !(severity.value.type === 'string' && (SEVERITIES as readonly string[]).includes(severity.value.value as string))
    ) {
      fail(severity.value, `${name}: "severity" must be ${oneOf(SEVERITIES)}`);
    }
    const category = get('category');
    if (
      category &&
      !(category.value.type === 'string' && (CATEGORIES as readonly string[]).includes(category.value.value as string))
    ) {
      fail(category.value, `${name}: "category" must be ${oneOf(CATEGORIES)}`);
    }
    let files: string[] | undefined;
    const filesProp = get('files');
    if (filesProp) {
      files = stringArray(filesProp.value, `${name}: "files"`, sink);
      if (!files) ok = false;
    }
    const flagsProp = get('flags');
    let flags: string | undefined;
    if (flagsProp) {
      if (flagsProp.value.type !== 'string' || !/^[ims]*$/.test(flagsProp.value.value as string))
        fail(flagsProp.value, `${name}: "flags" must be a string of flags among "i", "m" and "s"`);
      else flags = flagsProp.value.value as string;
    }
    const patternProp = get('pattern');
    if (patternProp) {
      if (patternProp.value.type !== 'string') fail(patternProp.value, `${name}: "pattern" must be a string`);
      else {
        const problem = checkCustomPattern(patternProp.value.value as string, flags);
        if (problem) fail(patternProp.value, `${name}: ${problem}`);
      }
    }
    if (id) ids.add(id);
    if (!ok || !id) continue;
    const rule: CustomRuleConfig = {
      id,
      message: (message!.value.value as string).trim(),
      severity: severity!.value.value as Severity,
      category: category!.value.value as Category,
      pattern: patternProp!.value.value as string,
    };
    if (files?.length) rule.files = files;
    if (flags) rule.flags = flags;
    out.push(rule);
  }
  return out;
}
