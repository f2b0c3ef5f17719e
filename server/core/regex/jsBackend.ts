import type { CompiledPattern, KeywordPrefilter, RegexBackend, RegexMatch, ScanText } from './backend';
import { Dfa } from './dfa';
import { Matcher, type Captures } from './pikevm';
import { compileProgram, type Program } from './program';
import { parsePattern, PatternSyntaxError } from './syntax';
import { regexText } from '../text';
import { keywordPrefilter } from './keywords';

/** A document as the JS backend sees it: the text, the text with the line model applied, and its lower case. */
class JsText implements ScanText {
  /** The text the matcher reads (see `regexText`). */
  readonly scan: string;
  private lowered: string | undefined;

  constructor(readonly text: string) {
    this.scan = regexText(text);
  }

  /** The lower-cased scan text, computed once for the prefilter and for case-folded literals. */
  get lower(): string {
    this.lowered ??= this.scan.toLowerCase();
    return this.lowered;
  }
}

/**
 * The fallback engine, for runtimes where RE2's native addon does not load (the editor's own runtime): a Pike VM
 * written in TypeScript with RE2's semantics. It is linear in the text for every pattern it accepts, because no
 * pattern can make it backtrack: V8's RegExp could not promise that, since its linear-time mode refuses the `i` and
 * `d` flags and any counted repetition above 16, which most secret patterns use. Sharing RE2's semantics (ASCII
 * `\s`, LF as the only line break for `.`, `^` and `$`, Unicode case folding) also makes both backends report the
 * same findings.
 */
export class JsBackend implements RegexBackend {
  readonly name = 'js' as const;

  compile(source: string, flags = ''): CompiledPattern {
    const f = normaliseFlags(flags);
    let prog: Program;
    try {
      prog = compileProgram(parsePattern(source, f), f.includes('i'));
    } catch (e) {
      // A plain Error, as the RE2 backend throws: callers report the message.
      if (e instanceof PatternSyntaxError) throw new Error(e.message);
      throw e;
    }
    const matcher = new Matcher(prog);
    const dfa = new Dfa(prog);
    return {
      source,
      matchAll(doc: ScanText): RegexMatch[] {
        const t = doc instanceof JsText ? doc : new JsText(doc.text);
        const out: RegexMatch[] = [];
        if (!literalsPresent(prog, t)) return out;
        const scan = t.scan;
        let from = 0;
        while (from <= scan.length) {
          // The DFA finds where the first match ends (or that there is none) at a table lookup per character; the
          // Pike VM then finds the exact match in a window that must hold its start.
          const hit = dfa.firstEnd(scan, from);
          if (!hit) break;
          let window = hit === 'thrashing' ? from : Math.max(from, hit.floor, hit.end - prog.maxLength);
          // A search never starts between the two halves of a surrogate pair, as RE2 never starts inside a character.
          if (window > 0 && isPairAt(scan, window - 1)) window--;
          const m = matcher.find(scan, window) ?? matcher.find(scan, from);
          if (!m) break;
          const [start, end] = m;
          const caps: Captures | undefined = prog.groups > 0 ? matcher.captures(scan, start, end) : undefined;
          const groups: RegexMatch['groups'] = [{ start, end, text: t.text.slice(start, end) }];
          for (let g = 1; g <= prog.groups; g++) {
            const s = caps![2 * g]!;
            const e = caps![2 * g + 1]!;
            groups.push(s < 0 || e < 0 ? undefined : { start: s, end: e, text: t.text.slice(s, e) });
          }
          out.push({ start, end, text: groups[0]!.text, groups });
          // After an empty match the search moves on by one character (a surrogate pair is one character).
          from = end > start ? end : end + (isPairAt(scan, end) ? 2 : 1);
        }
        return out;
      },
      test(s: string): boolean {
        const t = new JsText(s);
        if (!literalsPresent(prog, t)) return false;
        const hit = dfa.firstEnd(t.scan, 0);
        return hit === 'thrashing' ? matcher.find(t.scan, 0, true) !== undefined : hit !== undefined;
      },
    };
  }

  prepare(text: string): ScanText {
    return new JsText(text);
  }

  prefilter(sets: readonly (readonly string[])[]): KeywordPrefilter {
    // Printable ASCII keywords (every rule's) go through one automaton instead of a search per keyword.
    const fast = keywordPrefilter(sets);
    if (fast) return fast;
    const lowered = sets.map((s) => s.map((k) => k.toLowerCase()));
    return {
      matching(doc: ScanText): Set<number> {
        const hay = doc instanceof JsText ? doc.lower : doc.text.toLowerCase();
        const hit = new Set<number>();
        lowered.forEach((keys, i) => {
          if (keys.length === 0 || keys.some((k) => hay.includes(k))) hit.add(i);
        });
        return hit;
      },
    };
  }
}

/** False when the pattern needs a literal that the text lacks, so no match is possible and the search is skipped. */
function literalsPresent(prog: Program, t: JsText): boolean {
  if (!prog.literals) return true;
  const hay = prog.folded ? t.lower : t.scan;
  return prog.literals.some((l) => hay.includes(l));
}

function isPairAt(s: string, i: number): boolean {
  const c = s.charCodeAt(i);
  return c >= 0xd800 && c <= 0xdbff && (s.charCodeAt(i + 1) & 0xfc00) === 0xdc00;
}

/** Keeps only the flags both engines understand, in a stable order. */
export function normaliseFlags(flags: string): string {
  return ['i', 'm', 's'].filter((f) => flags.includes(f)).join('');
}
