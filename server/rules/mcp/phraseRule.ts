import type { DetectContext, RawFinding, Rule, RuleSample } from '../../core/rule';
import type { Category, Severity } from '../../../shared/types';
import {
  anyPattern,
  describedTexts,
  MCP_KEYWORDS,
  MCP_KINDS,
  matchText,
  negated,
  quote,
  where,
  type MetaText,
  type TextMatch,
} from './metaText';

/** The OWASP LLM Top 10 (2025) tag of prompt injection, which every phrase rule carries. */
export const LLM01 = 'LLM01:2025';

/** The head of a TypeScript sample: the SDK imports and server that make it a real MCP server file. */
export const TS_HEAD =
  'import { McpServer } from "@modelcontextprotocol/sdk/server/mcp.js";\nimport { z } from "zod";\nconst server = new McpServer({ name: "demo", version: "1.0.0" });\n';
/** The head of a Python sample: a FastMCP server. */
export const PY_HEAD = 'from mcp.server.fastmcp import FastMCP\nmcp = FastMCP("demo")\n';

/** One phrase a rule looks for in metadata strings. */
export interface Phrase {
  /** Pattern in the shared RE2/JS syntax, matched case-insensitively on the decoded string. */
  pattern: string;
  /** What the phrase is, for the message (e.g. "instruction override"). */
  what: string;
  /** The capture group reported (default 0, the whole match). */
  group?: number;
  /** A severity for this phrase, when it differs from the rule's default. */
  severity?: Severity;
  /** A last check on a match (for conditions the shared regex syntax cannot say). */
  accept?(m: TextMatch, t: MetaText): boolean;
}

/** The metadata of a phrase rule. */
export interface PhraseRuleSpec {
  /** Stable id. */
  id: string;
  /** Short title. */
  title: string;
  /** One sentence naming the risk. */
  description: string;
  /** Canonical category. */
  category: Category;
  /** Default severity. */
  severity: Severity;
  /** CWE tags. */
  cwe: string[];
  /** OWASP tags. */
  owasp: string[];
  /** Markdown docs. */
  docs: string;
  /** The phrases. */
  phrases: Phrase[];
  /** Samples. */
  positive: RuleSample[];
  /** Samples. */
  negative: RuleSample[];
}

/**
 * Builds a rule that looks for phrases in model-visible MCP metadata only (descriptions, parameter descriptions,
 * server instructions) and reports each at the exact characters of the phrase.
 */
export function phraseRule(spec: PhraseRuleSpec): Rule {
  const { phrases, ...meta } = spec;
  const rule: Rule = {
    ...meta,
    kinds: MCP_KINDS,
    keywords: MCP_KEYWORDS,
    detect(ctx: DetectContext): RawFinding[] {
      const out: RawFinding[] = [];
      const texts = describedTexts(ctx);
      if (texts.length === 0) return out;
      const compiled = phrases.map((p) => ctx.re(p.pattern, 'i'));
      const any = anyPattern(
        ctx,
        phrases.map((p) => p.pattern),
      );
      for (const t of texts) {
        if (!t.str.value || !any(t.str.value)) continue;
        for (const [i, p] of phrases.entries()) {
          for (const m of matchText(ctx, t.str, compiled[i]!, 'i', p.group ?? 0)) {
            if (p.accept && !p.accept(m, t)) continue;
            if (negated(t.str.value, m.from) && !p.group) continue;
            const f: RawFinding = {
              start: m.start,
              end: m.end,
              message: `${cap(p.what)} in ${where(t)}: ${quote(m.text)}`,
            };
            if (p.severity) f.severity = p.severity;
            out.push(f);
          }
        }
      }
      return dropNested(out);
    },
  };
  PHRASES.set(rule, phrases);
  return rule;
}

/** The phrase table of every rule built by `phraseRule`, so other packs can run the same phrases on other text. */
const PHRASES = new WeakMap<Rule, readonly Phrase[]>();

/**
 * The phrases of a rule built by `phraseRule` (empty for any other rule). The prompt-injection pack runs these
 * same tables on the text handlers return and on served data files, so one table decides what a phrase is.
 */
export function phrasesOf(rule: Rule): readonly Phrase[] {
  return PHRASES.get(rule) ?? [];
}

/** Capitalises the first letter. */
function cap(s: string): string {
  return s.charAt(0).toUpperCase() + s.slice(1);
}

/** When two phrases of one rule overlap, keeps the earlier (and then the longer) so one phrase is one finding. */
export function dropNested(fs: RawFinding[]): RawFinding[] {
  const sorted = [...fs].sort((a, b) => a.start - b.start || b.end - a.end);
  const out: RawFinding[] = [];
  for (const f of sorted) {
    const last = out[out.length - 1];
    if (last && f.start < last.end) continue;
    out.push(f);
  }
  return out;
}
