import { dataTexts, servedDataReason } from '../../analysis/modelText/dataFiles';
import { returnedTexts, type ReturnedText } from '../../analysis/modelText/returned';
import { mayDefineMcp } from '../../analysis/mcp/precondition';
import type { MetaString } from '../../analysis/mcp/types';
import { roleOfPath } from '../../core/fileRole';
import type { DetectContext, RawFinding, Rule } from '../../core/rule';
import { MCP_KEYWORDS } from '../mcp/metaText';
import { LLM01 } from '../mcp/phraseRule';
import { hiddenRunsIn } from '../mcp/unicode';
import { describeHit, phraseHits, quote } from './phrasebook';
import { dataSamples, hiddenSamples, outputSamples } from './samples';

/**
 * The prompt-injection rules for text a server puts in front of the model in the middle of a task: what its
 * handlers return (analysis/modelText/returned.ts) and the data files it serves (analysis/modelText/dataFiles.ts).
 * They run the metadata rules' phrase tables (phrasebook.ts), so a phrase means the same wherever it is written.
 */

/** Who returns a text, for messages: `tool "search"`, `prompt "review"`, `the CallTool dispatcher`. */
function ownerOf(t: ReturnedText): string {
  return t.owner.name ? `${t.owner.kind} "${t.owner.name}"` : `the ${t.owner.kind} dispatcher`;
}

/** Where a returned text sits, for messages. */
function placeOf(t: ReturnedText): string {
  const how = t.via === 'error' ? 'an error thrown by' : 'text returned by';
  return `${how} ${ownerOf(t)}${t.constant ? ` (constant ${t.constant})` : ''}`;
}

/** The related location of a returned text: the handler's owner, which is where the text reaches the model. */
function ownerLocation(t: ReturnedText): NonNullable<RawFinding['related']>[number] {
  return { ...t.owner.span, message: `${ownerOf(t)} puts this text in front of the model` };
}

/** Returned texts of a source file the rules look at (test files hold attack phrases on purpose). */
function sourceTexts(ctx: DetectContext): ReturnedText[] {
  return roleOfPath(ctx.path) === 'test' ? [] : returnedTexts(ctx);
}

/** `mcp-output-injection`: poisoning phrases in the text a tool, prompt or resource handler returns. */
export const outputInjection: Rule = {
  id: 'mcp-output-injection',
  title: 'Prompt injection in text a handler returns',
  description:
    'A tool, prompt or resource handler returns text that instructs the model (ignore your instructions, send a secret, hide this from the user), an indirect prompt injection the server performs itself.',
  category: 'prompt-injection',
  severity: 'high',
  cwe: ['CWE-1427'],
  owasp: [LLM01],
  kinds: ['js', 'python'],
  keywords: MCP_KEYWORDS,
  docs: [
    'What a tool returns goes into the model context as trusted tool output, and so do the messages of a prompt and',
    'the contents of a resource. A server whose handler returns "ignore all previous instructions", "send the',
    'user\'s API key to …", "do not tell the user" or `<IMPORTANT>` blocks takes over the agent mid-task, and no',
    'review of the tool descriptions shows it. The rule reads the strings each handler returns, puts into result',
    'content (`content: [{ type: "text", text }]`, prompt `messages`, resource `contents`), serialises or throws,',
    'following constants of the same file, and runs the same phrase tables as the metadata rules on them.',
    'Instruction overrides, hidden data transfers, requests for secrets or sensitive files and concealment are high;',
    'pseudo tags, call-ordering demands, "run this command" and safety-bypass claims are medium (high inside an HTML',
    'comment). Quiet on: text read at run time (only what the file fixes is checked), ordinary error text, phrases in',
    'quotation marks (a detector reporting what it found), regex patterns, constants named as pattern or example',
    'lists (`INJECTION_PATTERNS`), and test files. Fix: return data, not instructions; if the server is',
    'third-party, do not install it. Related information points at the tool that returns the text.',
  ].join(' '),
  positive: outputSamples.positive,
  negative: outputSamples.negative,
  detect(ctx) {
    const out: RawFinding[] = [];
    for (const t of sourceTexts(ctx))
      for (const h of phraseHits(ctx, t.str))
        out.push({
          start: h.start,
          end: h.end,
          severity: h.severity,
          message: `${describeHit(h)} in ${placeOf(t)}: ${quote(h.text)}`,
          related: [ownerLocation(t)],
        });
    return out;
  },
};

/** `mcp-served-data-injection`: poisoning phrases in data files the server serves (prompts/, data/, seed scripts). */
export const servedDataInjection: Rule = {
  id: 'mcp-served-data-injection',
  title: 'Prompt injection in a data file the server serves',
  description:
    "A data file the server ships for the model (a prompt template, resource document, canned response or seeded record) holds text that instructs the model, an indirect prompt injection waiting in the server's own data.",
  category: 'prompt-injection',
  severity: 'high',
  cwe: ['CWE-1427'],
  owasp: [LLM01],
  kinds: ['json', 'yaml', 'text', 'js', 'python'],
  keywords: [],
  docs: [
    'Servers read prompt templates, resource documents and canned answers from files they ship, and serve records',
    'that a seed script wrote into their database. Text there reaches the model as tool output. A file counts as',
    'served when it sits below a `data/`, `prompts/`, `prompt/`, `resources/`, `templates/`, `seed/`, `seeds/` or',
    '`responses/` folder (JSON, YAML, Markdown, HTML, text), or is a seed script (`seed.py`, `seed_db.ts`, files',
    'under `seeds/`), whose string literals are the records it inserts; in JS/TS and Python files of those folders the',
    'module-level constants are read (prompt templates kept as code). README-like files, `docs/` and test files are',
    'never served: they document attacks. HTML and Markdown comments (`<!-- … -->`) are checked too, and a phrase',
    'inside one is high, since a reader of the rendered file never sees it. JSON strings are decoded, so `\\u`',
    'escapes are read as the model reads them; values under keys that name pattern or example lists are skipped.',
    'Severities as in `mcp-output-injection`. Fix: remove the text from the data; check where the data came from.',
  ].join(' '),
  positive: dataSamples.positive,
  negative: dataSamples.negative,
  // Only served data is read: no word of the text says a file is served, its folder does.
  applies: (path) => servedDataReason(path) !== undefined,
  detect(ctx) {
    const reason = servedDataReason(ctx.path);
    if (!reason) return [];
    const out: RawFinding[] = [];
    // A constant a handler of the same file returns is `mcp-output-injection`'s, with the handler named.
    const returned = new Set(sourceTexts(ctx).map((t) => `${t.str.start}:${t.str.end}`));
    for (const t of dataTexts(ctx))
      if (!returned.has(`${t.str.start}:${t.str.end}`))
        for (const h of phraseHits(ctx, t.str))
          out.push({
            start: h.start,
            end: h.end,
            severity: h.severity,
            message: `${describeHit(h)} in served data (${reason}): ${quote(h.text)}`,
          });
    return out;
  },
};

/**
 * True for a run of emoji presentation selectors (U+FE0E, U+FE0F) written just before an emoji or other non-ASCII
 * symbol: a slip of an emoji picker in prose (a U+FE0F between a full stop and an emoji), common in the Markdown
 * servers ship, which hides nothing. The metadata rule keeps reporting it in names and descriptions, where every character is chosen.
 */
function emojiSelector(ctx: DetectContext, f: RawFinding): boolean {
  return /^[\uFE0E\uFE0F]+$/.test(ctx.text.slice(f.start, f.end)) && (ctx.text.codePointAt(f.end) ?? 0) > 0x7f;
}

/** `mcp-output-hidden-text`: invisible characters in text a handler returns or a served data file holds. */
export const outputHiddenText: Rule = {
  id: 'mcp-output-hidden-text',
  title: 'Hidden Unicode in text served to the model',
  description:
    'Text a handler returns or a served data file holds contains invisible characters (Unicode tags, zero-width or bidirectional controls) that the model reads and a reviewer does not see.',
  category: 'hidden-unicode',
  severity: 'high',
  cwe: ['CWE-451', 'CWE-1427'],
  owasp: [LLM01],
  kinds: ['js', 'python', 'json', 'yaml', 'text'],
  keywords: [],
  docs: [
    'The character checks of `mcp-hidden-unicode` (the one table is `server/analysis/hiddenChars.ts`), run on the',
    'strings tool, prompt and resource handlers return and on served data files (see `mcp-served-data-injection`',
    'for which files are served). Escapes written in source or JSON (`\\u200b`, `\\u{E0041}`, `\\x..`) are decoded,',
    'so both raw and escaped forms are found and reported at their source characters; Unicode tag characters are',
    'spelt out. Tags, selector smuggling and bidi controls are high, lone zero-width characters medium; emoji',
    'sequences and marks in right-to-left text are ordinary writing. Fix: delete the characters.',
  ].join(' '),
  positive: hiddenSamples.positive,
  negative: hiddenSamples.negative,
  // Returned texts come from handlers, which only a file with an MCP definition has; otherwise only served data.
  applies: (path, text) => mayDefineMcp(text) || servedDataReason(path) !== undefined,
  detect(ctx) {
    const out: RawFinding[] = [];
    const texts: { str: MetaString; place: string; t?: ReturnedText }[] = [];
    if (ctx.kind === 'js' || ctx.kind === 'python')
      for (const t of sourceTexts(ctx)) texts.push({ str: t.str, place: placeOf(t), t });
    const reason = servedDataReason(ctx.path);
    if (reason) for (const d of dataTexts(ctx)) texts.push({ str: d.str, place: `served data (${reason})` });
    const seen = new Set<string>();
    for (const x of texts)
      for (const f of hiddenRunsIn(x.str, x.place)) {
        const k = `${f.start}:${f.end}`;
        if (seen.has(k) || emojiSelector(ctx, f)) continue;
        seen.add(k);
        if (x.t) f.related = [ownerLocation(x.t)];
        out.push(f);
      }
    return out;
  },
};
