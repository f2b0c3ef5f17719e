import { htmlCommentRanges } from '../../analysis/modelText/dataFiles';
import type { MetaString } from '../../analysis/mcp/types';
import type { DetectContext, RawFinding } from '../../core/rule';
import type { Severity } from '../../../shared/types';
import { anyPattern, matchText, negated, quote, type MetaText } from '../mcp/metaText';
import { dropNested, phrasesOf, type Phrase } from '../mcp/phraseRule';
import {
  coerciveOrdering,
  concealment,
  hiddenBehaviour,
  instructionOverride,
  pseudoTag,
  sensitiveFileRequest,
} from '../mcp/phrases';

/**
 * The phrases the prompt-injection pack looks for in text a server puts in front of the model. The poisoning
 * phrases are the metadata rules' own tables (`phrasesOf`, one source of truth: a phrase tuned there is tuned here),
 * each weighed for returned text: an instruction override, a hidden data transfer, a request for a secret or a
 * sensitive file, or a concealment instruction is high; a pseudo tag, a call-ordering demand, a "run this command"
 * or a claim that safety is off is medium. Three families exist only here, because only returned text speaks to
 * the model mid-task: requests to hand over secrets, "run this command" demands, and safety-bypass claims.
 */

/** A phrase with the severity it has in model-facing text. */
export interface OutputPhrase extends Phrase {
  /** Severity of a match in returned or served text. */
  severity: Severity;
}

/** Phrases only model-facing output carries: they ask the model to act on the user's secrets or machine. */
const OUTPUT_ONLY: OutputPhrase[] = [
  {
    what: 'request for a secret',
    severity: 'high',
    pattern:
      "\\b(?:send|forward|upload|post|email|reveal|leak|disclose|exfiltrate|output|print|dump|share)\\s+(?:me\\s+|us\\s+)?(?:all\\s+(?:of\\s+)?)?(?:your|the\\s+user'?s|the\\s+user\\s+s|their)\\s+(?:\\w+\\s+)?(?:api[\\s_-]?keys?|passwords?|passphrases?|credentials|secret\\s+keys?|private\\s+keys?|access\\s+tokens?|auth(?:entication)?\\s+tokens?|session\\s+(?:tokens?|cookies?)|seed\\s+phrases?|recovery\\s+phrases?|ssh\\s+keys?|system\\s+prompt|(?:hidden|initial|original)\\s+instructions)\\b",
  },
  {
    what: 'request for the environment',
    severity: 'high',
    pattern:
      '\\b(?:send|forward|upload|post|reveal|leak|exfiltrate|output|print|dump)\\s+(?:all\\s+(?:of\\s+)?)?(?:the\\s+|your\\s+)?(?:environment\\s+variables|env\\s+vars)\\s+(?:to|in|into|as)\\b',
  },
  {
    what: 'command the model is told to run',
    severity: 'medium',
    pattern:
      '\\b(?:you\\s+must|immediately|now|first|silently|automatically)\\s+(?:run|execute)\\s+(?:the\\s+following|this)\\s+(?:shell\\s+|bash\\s+|terminal\\s+)?(?:command|script|code)\\b',
  },
  {
    what: 'safety-bypass claim',
    severity: 'medium',
    pattern:
      '\\b(?:safety|security|content)\\s+(?:checks?|filters?|guidelines|policies|restrictions|guardrails)\\s+(?:are|have\\s+been|were)\\s+(?:now\\s+)?(?:disabled|turned\\s+off|lifted|suspended|removed|waived)\\b|\\byou\\s+(?:are|have\\s+been)\\s+(?:now\\s+)?(?:authori[sz]ed|permitted|allowed)\\s+to\\s+(?:ignore|bypass|skip|override|disable)\\b',
  },
  {
    what: 'note addressed to the model',
    severity: 'medium',
    pattern:
      '\\b(?:attention|note\\s+(?:to|for)|message\\s+(?:to|for)|instructions?\\s+(?:to|for))\\s+(?:the\\s+|any\\s+|all\\s+)?(?:ai|assistant|llm|agent|language\\s+model|claude|chatgpt|copilot)s?\\b',
  },
];

/** The metadata phrase rules reused here, with the severity their phrases take in returned text. */
const REUSED: [rule: Parameters<typeof phrasesOf>[0], severity: Severity][] = [
  [instructionOverride, 'high'],
  [concealment, 'high'],
  [hiddenBehaviour, 'high'],
  [sensitiveFileRequest, 'high'],
  [pseudoTag, 'medium'],
  [coerciveOrdering, 'medium'],
];

/** Every phrase looked for in model-facing text, in a stable order. */
export const OUTPUT_PHRASES: readonly OutputPhrase[] = [
  ...REUSED.flatMap(([rule, severity]) => phrasesOf(rule).map((p) => ({ ...p, severity: p.severity ?? severity }))),
  ...OUTPUT_ONLY,
];

/**
 * True for a string that is a pattern rather than prose: regex syntax (`\s+`, `(?:`, `\b`) in the decoded value.
 * Security tools keep their injection phrases as patterns; a server never shows the model a regex as instructions.
 */
function looksLikePattern(value: string): boolean {
  return /\\[sbwdSWD]|\(\?[:!=i]|\[\^|\.\*|\\\./.test(value);
}

/** Opening and closing quotes around a mention: `detected "ignore previous instructions"` quotes, it does not speak. */
const QUOTES: Record<string, string> = { '"': '"', "'": "'", '`': '`', '“': '”', '‘': '’', '«': '»' };

/** True when the match stands in quotation marks: it is mentioned (a detector's report, a log), not said. */
function quoted(value: string, from: number, to: number): boolean {
  const close = QUOTES[value.charAt(from - 1)];
  return close !== undefined && value.charAt(to) === close;
}

/** One phrase found in a model-facing string, before the rule words its message. */
export interface PhraseHit {
  /** The source span. */
  start: number;
  /** Exclusive end. */
  end: number;
  /** What the phrase is ("instruction override"). */
  what: string;
  /** The matched text, decoded. */
  text: string;
  /** Severity in model-facing text (high when hidden in a comment). */
  severity: Severity;
  /** True when the phrase sits inside an HTML or Markdown comment, hidden from a reader of the rendered text. */
  inComment: boolean;
}

/** Runs every output phrase over one decoded string and returns the hits, one per phrase occurrence. */
export function phraseHits(ctx: DetectContext, str: MetaString): PhraseHit[] {
  const value = str.value;
  if (!value.trim() || looksLikePattern(value)) return [];
  const any = anyPattern(
    ctx,
    OUTPUT_PHRASES.map((p) => p.pattern),
  );
  if (!any(value)) return [];
  const comments = htmlCommentRanges(value);
  const t: MetaText = { str, role: 'description' };
  const found: (RawFinding & { hit: PhraseHit })[] = [];
  for (const p of OUTPUT_PHRASES) {
    for (const m of matchText(ctx, str, ctx.re(p.pattern, 'i'), 'i', p.group ?? 0)) {
      if (p.accept && !p.accept(m, t)) continue;
      if (negated(value, m.from) && !p.group) continue;
      if (quoted(value, m.from, m.to)) continue;
      const inComment = comments.some((c) => m.from >= c.from && m.to <= c.to);
      const hit: PhraseHit = {
        start: m.start,
        end: m.end,
        what: p.what,
        text: m.text,
        severity: inComment ? 'high' : p.severity,
        inComment,
      };
      found.push({ start: m.start, end: m.end, message: '', hit });
    }
  }
  const kept = new Set(dropNested(found));
  return found.filter((f) => kept.has(f)).map((f) => f.hit);
}

/** The one-line rendering of a hit for messages: what it is, and the phrase. */
export function describeHit(h: PhraseHit): string {
  const what = h.what.charAt(0).toUpperCase() + h.what.slice(1);
  return `${what}${h.inComment ? ' hidden in an HTML comment' : ''}`;
}

export { quote };
