import type { Finding, Position, Range, RuleMeta } from '../../shared/types';
import { HIDDEN_CHAR_CLASS } from '../analysis/hiddenChars';

/** True when `p` lies inside `r` (end inclusive, so hovering the last character still counts). */
export function contains(r: Range, p: Position): boolean {
  const afterStart = p.line > r.start.line || (p.line === r.start.line && p.character >= r.start.character);
  const beforeEnd = p.line < r.end.line || (p.line === r.end.line && p.character <= r.end.character);
  return afterStart && beforeEnd;
}

/** Invisible, bidirectional and other format characters that hide text from a reader. */
const HIDDEN = new RegExp(HIDDEN_CHAR_CLASS, 'gu');

/**
 * Shows hidden characters visibly: each invisible or bidi-control character becomes `⟨U+XXXX⟩`, and Unicode tag
 * characters (U+E0000 block, used to smuggle ASCII past a reader) are decoded to the ASCII they encode.
 */
export function revealHidden(text: string): { visible: string; decodedTags: string } {
  let decodedTags = '';
  const visible = text.replace(HIDDEN, (ch) => {
    const cp = ch.codePointAt(0)!;
    if (cp >= 0xe0000 && cp <= 0xe007f) {
      const ascii = cp - 0xe0000;
      if (ascii >= 0x20 && ascii < 0x7f) decodedTags += String.fromCharCode(ascii);
    }
    return `⟨U+${cp.toString(16).toUpperCase().padStart(4, '0')}⟩`;
  });
  return { visible, decodedTags };
}

function escapeMarkdown(s: string): string {
  return s.replace(/[\\`*_[\]<>]/g, (c) => '\\' + c);
}

/** A "How to fix" paragraph in rule docs: `**How to fix.** …` up to the next bold heading or the end. */
const FIX_PARAGRAPH = /\*\*How to fix[^*]*\*\*\s*([\s\S]*?)(?=\n\n\*\*|$)/i;

/**
 * The hover's fix part. Rule docs that have their own "How to fix" paragraph contribute just that paragraph (the
 * rest repeats what the hover already says); docs written as one piece are shown whole, since their advice is
 * woven into the text.
 */
function fixSection(docs: string): string[] {
  const fix = FIX_PARAGRAPH.exec(docs)?.[1]?.trim();
  return fix ? ['**How to fix it:** ' + fix, ''] : ['**How to fix it:**', '', docs.trim(), ''];
}

/**
 * Hover text for the findings at a position: what the rule catches, why it matters here (the finding's own
 * message, with its category and CWE), how to fix it (the rule's docs), and for hidden Unicode the characters of
 * the range made visible. `text` is the document text and `offsetOf` converts positions into offsets of it.
 */
export function hoverMarkdown(
  findings: readonly Finding[],
  rules: ReadonlyMap<string, RuleMeta>,
  text: string,
  offsetOf: (p: Position) => number,
): string {
  const parts: string[] = [];
  for (const f of findings) {
    const meta = rules.get(f.ruleId);
    const lines: string[] = [];
    lines.push(`**MCP Sentinel: ${escapeMarkdown(meta?.title ?? f.ruleId)}** (\`${f.ruleId}\`, ${f.severity})`);
    lines.push('');
    if (meta) lines.push(`**What it catches:** ${meta.description}`, '');
    lines.push(
      `**Why it matters here:** ${escapeMarkdown(f.message)} (${f.category}${f.cwe.length ? ', ' + f.cwe.join(', ') : ''})`,
      '',
    );
    if (f.category === 'hidden-unicode') {
      const slice = text.slice(offsetOf(f.range.start), offsetOf(f.range.end));
      const { visible, decodedTags } = revealHidden(slice);
      lines.push('**Hidden characters, shown:**', '', '```text', visible.slice(0, 2000), '```', '');
      if (decodedTags) lines.push(`**Decoded tag characters:** \`${decodedTags.replace(/`/g, "'")}\``, '');
    }
    if (meta?.docs) for (const l of fixSection(meta.docs)) lines.push(l);
    for (const r of f.related ?? [])
      lines.push(`- Related (line ${r.range.start.line + 1}): ${escapeMarkdown(r.message)}`);
    parts.push(lines.join('\n').trim());
  }
  return parts.join('\n\n---\n\n');
}
