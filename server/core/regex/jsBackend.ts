import { setFlagsFromString } from 'node:v8';
import type { CompiledPattern, KeywordPrefilter, RegexBackend, RegexMatch, ScanText } from './backend';
import { unsupportedSyntax } from './backend';

/**
 * The fallback engine: V8's RegExp. Rules avoid lookaround and backreferences, and the process turns on V8's
 * linear-time engine for patterns that backtrack too much, so no input can hang the scanner.
 */
export class JsBackend implements RegexBackend {
  readonly name = 'js' as const;

  constructor() {
    // The flag only affects regexps compiled after it is set, so it is set before any rule compiles.
    try {
      setFlagsFromString('--enable-experimental-regexp-engine-on-excessive-backtracks');
    } catch {
      // Older runtimes without the flag still run; RE2 is the primary defence anyway.
    }
  }

  compile(source: string, flags = ''): CompiledPattern {
    const bad = unsupportedSyntax(source);
    if (bad) throw new Error(bad);
    const global = new RegExp(source, normaliseFlags(flags) + 'gd');
    const single = new RegExp(source, normaliseFlags(flags));
    return {
      source,
      matchAll(doc: ScanText): RegexMatch[] {
        const out: RegexMatch[] = [];
        global.lastIndex = 0;
        let m: RegExpExecArray | null;
        while ((m = global.exec(doc.text)) !== null) {
          const idx = m.indices!;
          out.push({
            start: m.index,
            end: m.index + m[0].length,
            text: m[0],
            groups: m.map((g, i) =>
              g === undefined || !idx[i] ? undefined : { start: idx[i]![0], end: idx[i]![1], text: g },
            ),
          });
          if (m[0].length === 0) global.lastIndex++;
        }
        return out;
      },
      test(s: string): boolean {
        return single.test(s);
      },
    };
  }

  prepare(text: string): ScanText {
    return { text };
  }

  prefilter(sets: readonly (readonly string[])[]): KeywordPrefilter {
    const lowered = sets.map((s) => s.map((k) => k.toLowerCase()));
    return {
      matching(doc: ScanText): Set<number> {
        const hay = lowerCache(doc);
        const hit = new Set<number>();
        lowered.forEach((keys, i) => {
          if (keys.length === 0 || keys.some((k) => hay.includes(k))) hit.add(i);
        });
        return hit;
      },
    };
  }
}

const lowered = new WeakMap<ScanText, string>();
function lowerCache(doc: ScanText): string {
  let l = lowered.get(doc);
  if (l === undefined) {
    l = doc.text.toLowerCase();
    lowered.set(doc, l);
  }
  return l;
}

/** Keeps only the flags both engines understand, in a stable order. */
export function normaliseFlags(flags: string): string {
  return ['i', 'm', 's'].filter((f) => flags.includes(f)).join('');
}
