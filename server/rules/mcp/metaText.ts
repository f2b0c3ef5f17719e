import { mcpMetadataOf } from '../../analysis/mcp/extract';
import { sourceSpan } from '../../analysis/mcp/strings';
import type { McpEntity, McpParam, MetaString } from '../../analysis/mcp/types';
import type { CompiledPattern } from '../../core/regex';
import type { DetectContext, RawFinding, Span } from '../../core/rule';
import type { FileKind } from '../../../shared/types';

/**
 * Shared plumbing of the MCP poisoning rules: they read only the strings a model sees (tool, prompt and resource
 * descriptions, parameter descriptions, server instructions), never arbitrary source lines, and report matches at
 * the exact source characters through the string's piece map.
 */

/** The file kinds whose MCP metadata we extract. */
export const MCP_KINDS: FileKind[] = ['js', 'python', 'json'];

/**
 * Prefilter keywords present in every file that can hold MCP metadata: SDK imports and registrations contain
 * "mcp", "tool", "prompt" or "resource", and so does every JSON tool list.
 */
export const MCP_KEYWORDS = ['mcp', 'tool', 'prompt', 'resource'];

/** A metadata string with what it belongs to. */
export interface MetaText {
  /** The string. */
  str: MetaString;
  /** Which string it is: a description (or title), a parameter description, server instructions, or a name. */
  role: 'description' | 'param' | 'instructions' | 'name';
  /** The tool, prompt or resource it belongs to (absent for server instructions). */
  entity?: McpEntity;
  /** The parameter, for a parameter description. */
  param?: McpParam;
}

/**
 * Every model-visible text of the document except names: descriptions (titles and annotation titles included),
 * parameter descriptions and the parameters' other schema strings (titles, enum values, defaults, examples), and
 * server instructions.
 */
export function describedTexts(ctx: DetectContext): MetaText[] {
  return ctx.memo('mcp:texts', () => {
    const meta = mcpMetadataOf(ctx);
    const out: MetaText[] = [];
    for (const entity of meta.entities) {
      for (const str of entity.descriptions) out.push({ str, role: 'description', entity });
      for (const param of entity.params) {
        if (param.description) out.push({ str: param.description, role: 'param', entity, param });
        for (const str of param.texts ?? []) out.push({ str, role: 'param', entity, param });
      }
    }
    for (const str of meta.instructions) out.push({ str, role: 'instructions' });
    return out;
  });
}

/** Names of every entity, as texts (for rules on names and on hidden characters). */
export function nameTexts(ctx: DetectContext): MetaText[] {
  const out: MetaText[] = [];
  for (const entity of mcpMetadataOf(ctx).entities)
    if (entity.name) out.push({ str: entity.name, role: 'name', entity });
  return out;
}

/** Where a text sits, for messages: `tool "add" description`, `parameter "path" of tool "read"`, `server instructions`. */
export function where(t: MetaText): string {
  const owner = t.entity ? `${t.entity.kind} "${t.entity.name?.value ?? '?'}"` : 'server';
  if (t.role === 'param') return `parameter "${t.param?.name}" of ${owner}`;
  if (t.role === 'instructions') return 'server instructions';
  if (t.role === 'name') return `${owner} name`;
  return `${owner} description`;
}

/** A short, one-line, visible rendering of a matched phrase for messages. */
export function quote(s: string, max = 60): string {
  const flat = s.replace(/\s+/g, ' ').trim();
  return '"' + (flat.length > max ? flat.slice(0, max - 1) + '…' : flat) + '"';
}

/** One regex match inside a metadata string, in decoded offsets and in source offsets. */
export interface TextMatch extends Span {
  /** Decoded offsets within the string value. */
  from: number;
  /** Exclusive end in the string value. */
  to: number;
  /** The matched text (decoded). */
  text: string;
  /** Capture groups (decoded text), index 0 is the whole match. */
  groups: (string | undefined)[];
}

/**
 * Runs a pattern (shared RE2/JS syntax, flags i/m/s) over a metadata string and returns the matches with their
 * source spans. `group` selects the capture that is reported (default: the whole match). Rules that run many
 * patterns over many strings pass the pattern already compiled (`ctx.re` once per detect call, not per string).
 */
export function matchText(
  ctx: DetectContext,
  str: MetaString,
  source: string | CompiledPattern,
  flags = 'i',
  group = 0,
): TextMatch[] {
  if (!str.value) return [];
  const scan = ctx.memo(`mcp:scan:${str.start}:${str.end}:${str.value.length}`, () => ctx.regex.prepare(str.value));
  const out: TextMatch[] = [];
  const pattern = typeof source === 'string' ? ctx.re(source, flags) : source;
  for (const m of pattern.matchAll(scan)) {
    const g = m.groups[group];
    if (!g) continue;
    const span = sourceSpan(str, g.start, g.end);
    out.push({ ...span, from: g.start, to: g.end, text: g.text, groups: m.groups.map((x) => x?.text) });
  }
  return out;
}

/**
 * A test for "at least one of these patterns matches somewhere in the value": their alternation, compiled once.
 * Rules run it on each metadata string before their patterns one by one; most strings match none, and one regex
 * call per string is far cheaper than one per pattern. It never changes a result: the alternation matches exactly
 * when some alternative does. Should an engine refuse the combined pattern (RE2 bounds a program's size), every
 * string is let through.
 */
export function anyPattern(ctx: DetectContext, sources: readonly string[], flags = 'i'): (value: string) => boolean {
  if (sources.length === 0) return () => false;
  try {
    const any = ctx.re(sources.map((s) => `(?:${s})`).join('|'), flags);
    return (value) => any.test(value);
  } catch {
    return () => true;
  }
}

/** A finding at a match, with a message. */
export function findingAt(m: Span, message: string, extra: Partial<RawFinding> = {}): RawFinding {
  return { start: m.start, end: m.end, message, ...extra };
}

/**
 * True when the words just before a match negate it ("never include passwords", "do not read ~/.ssh/id_rsa"):
 * metadata that forbids a dangerous act is the opposite of an instruction to do it.
 */
export function negated(value: string, from: number): boolean {
  const before = value.slice(Math.max(0, from - 80), from).toLowerCase();
  if (/(?:\bnever|\bnot|n't|\bno|\bwithout|\bavoid|\bnor)\s+(?:\w+\s+)?$/.test(before)) return true;
  // "Never read X or send Y": the negation carries over a list joined by "or"/"nor" within the sentence.
  // A full stop inside a path ("~/.ssh/id_rsa") does not end the sentence.
  return /(?:\bnever|\bnot|n't|\bwithout|\bavoid)\b(?:[^.;:!?\n]|\.\S)*\b(?:or|nor)\s+$/.test(before);
}
