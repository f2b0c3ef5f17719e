import type { CompiledPattern, KeywordPrefilter, RegexBackend, RegexMatch, ScanText } from './backend';
import { escapeLiteral, unsupportedSyntax } from './backend';
import { normaliseFlags } from './jsBackend';
import { regexText } from '../text';

/** The shape of the `re2` module that this backend uses. */
export interface Re2Module {
  new (source: string, flags?: string): Re2Regex;
  Set: new (patterns: string[], flags?: string) => { match(input: Buffer | string): number[] };
}
interface Re2Regex {
  lastIndex: number;
  exec(
    input: Buffer | string,
  ): (Array<Buffer | string | undefined> & { index: number; indices?: ([number, number] | undefined)[] }) | null;
  test(input: string): boolean;
}

/**
 * A document as RE2 sees it: the UTF-8 bytes of its scan text (`regexText`: lone CRs read as LF, which keeps every
 * offset), plus a lazily built map from byte offsets back to UTF-16.
 */
class Re2Text implements ScanText {
  readonly buf: Buffer;
  private map: Uint32Array | undefined;

  constructor(readonly text: string) {
    this.buf = Buffer.from(regexText(text), 'utf8');
  }

  /** UTF-16 offset of a UTF-8 byte offset. */
  toUtf16(byte: number): number {
    if (this.buf.length === this.text.length) return byte; // pure ASCII: offsets agree
    if (!this.map) this.map = buildByteMap(this.text, this.buf.length);
    return this.map[Math.min(byte, this.buf.length)]!;
  }
}

/** The byte offset of the character after the one that starts at `byte` (UTF-8 lead bytes give the width). */
function nextCharByte(buf: Buffer, byte: number): number {
  const b = buf[byte];
  if (b === undefined) return byte + 1;
  return byte + (b < 0x80 ? 1 : b >= 0xf0 ? 4 : b >= 0xe0 ? 3 : b >= 0xc0 ? 2 : 1);
}

function buildByteMap(text: string, byteLength: number): Uint32Array {
  const map = new Uint32Array(byteLength + 1);
  let b = 0;
  for (let i = 0; i < text.length; i++) {
    const c = text.charCodeAt(i);
    let width: number;
    if (c < 0x80) width = 1;
    else if (c < 0x800) width = 2;
    else if (c >= 0xd800 && c <= 0xdbff && i + 1 < text.length && (text.charCodeAt(i + 1) & 0xfc00) === 0xdc00) {
      // A surrogate pair is one 4-byte code point covering two UTF-16 units.
      for (let k = 0; k < 4; k++) map[b + k] = i;
      b += 4;
      i++;
      continue;
    } else width = 3;
    for (let k = 0; k < width; k++) map[b + k] = i;
    b += width;
  }
  map[byteLength] = text.length;
  return map;
}

/**
 * The primary engine: Google RE2 through the `re2` native addon. Linear time by construction; scanning a
 * Buffer avoids re-encoding the document for every rule, and an RE2.Set prefilter picks the rules worth running.
 */
export class Re2Backend implements RegexBackend {
  readonly name = 're2' as const;

  constructor(private readonly RE2: Re2Module) {}

  compile(source: string, flags = ''): CompiledPattern {
    const bad = unsupportedSyntax(source);
    if (bad) throw new Error(bad);
    const f = normaliseFlags(flags);
    const global = new this.RE2(source, f + 'gd');
    const single = new this.RE2(source, f);
    return {
      source,
      matchAll(doc: ScanText): RegexMatch[] {
        const t = doc as Re2Text;
        const out: RegexMatch[] = [];
        global.lastIndex = 0;
        let m;
        while ((m = global.exec(t.buf)) !== null) {
          const idx = m.indices ?? [];
          const groups = m.map((g, i) => {
            const span = idx[i];
            if (g === undefined || !span) return undefined;
            const start = t.toUtf16(span[0]);
            const end = t.toUtf16(span[1]);
            return { start, end, text: t.text.slice(start, end) };
          });
          const whole = groups[0]!;
          out.push({ start: whole.start, end: whole.end, text: whole.text, groups });
          // After an empty match the search moves on by one character: past all the bytes of a UTF-8 sequence,
          // never into its middle.
          if (whole.end === whole.start) global.lastIndex = nextCharByte(t.buf, idx[0]![1]);
        }
        return out;
      },
      test(s: string): boolean {
        return single.test(regexText(s));
      },
    };
  }

  prepare(text: string): ScanText {
    return new Re2Text(text);
  }

  prefilter(sets: readonly (readonly string[])[]): KeywordPrefilter {
    const always = new Set<number>();
    const patterns: string[] = [];
    const owner: number[] = [];
    sets.forEach((keys, i) => {
      if (keys.length === 0) always.add(i);
      else {
        patterns.push(keys.map(escapeLiteral).join('|'));
        owner.push(i);
      }
    });
    const set = patterns.length ? new this.RE2.Set(patterns, 'i') : undefined;
    return {
      matching(doc: ScanText): Set<number> {
        const hit = new Set(always);
        if (set) for (const k of set.match((doc as Re2Text).buf)) hit.add(owner[k]!);
        return hit;
      },
    };
  }
}
