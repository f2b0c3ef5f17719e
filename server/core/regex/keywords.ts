/**
 * The keyword prefilter of the JS backend as one automaton (Aho-Corasick) over the document's characters. The
 * backend ran one `includes` per keyword, about 10 MB/s on a library tree with the catalogue's three hundred
 * keywords, and the prefilter runs on every file of a scan (twice in the batch scan: the cheap-file check, then the
 * worker), where the runtime has no RE2 (the editor's own, for one). The automaton reads each character once, with a
 * table lookup: measured on Node's global packages and the Python standard library, 0.13 s instead of about 2 s.
 * (RE2's own Set is as fast, so the RE2 backend keeps it.)
 *
 * It matches as RE2's case-insensitive literals do: an ASCII letter matches its other case, `k` also the Kelvin
 * sign (U+212A) and `s` the long s (U+017F), the only characters outside ASCII that Unicode case folding puts with
 * an ASCII letter. Keyword sets with a character outside printable ASCII keep the backend's own prefilter
 * (`keywordPrefilter` returns undefined).
 */
import type { KeywordPrefilter, ScanText } from './backend';

const KELVIN = 0x212a;
const LONG_S = 0x17f;

/**
 * The prefilter of `sets` (one list of keywords per rule; an empty list matches every document), or undefined when a
 * keyword has a character outside printable ASCII.
 */
export function keywordPrefilter(sets: readonly (readonly string[])[]): KeywordPrefilter | undefined {
  if (sets.some((keys) => keys.some((k) => k.length === 0 || !/^[\x20-\x7e]+$/.test(k)))) return undefined;
  const always: number[] = [];
  // The trie: goto[state * 128 + char] (0 = none yet), with the sets each state completes.
  let goto = new Int32Array(128 * 64);
  const outputs: number[][] = [[]];
  let states = 1;
  sets.forEach((keys, set) => {
    if (keys.length === 0) always.push(set);
    for (const key of keys) {
      let s = 0;
      for (const ch of key.toLowerCase()) {
        const c = ch.charCodeAt(0);
        let next = goto[s * 128 + c]!;
        if (next === 0) {
          next = states++;
          if (states * 128 > goto.length) {
            const bigger = new Int32Array(goto.length * 2);
            bigger.set(goto);
            goto = bigger;
          }
          outputs.push([]);
          goto[s * 128 + c] = next;
        }
        s = next;
      }
      if (!outputs[s]!.includes(set)) outputs[s]!.push(set);
    }
  });
  // Failure links, breadth first, folded into the table so that every state has a transition on every character.
  const fail = new Int32Array(states);
  const queue: number[] = [];
  for (let c = 0; c < 128; c++) if (goto[c]! !== 0) queue.push(goto[c]!);
  for (let i = 0; i < queue.length; i++) {
    const s = queue[i]!;
    for (const o of outputs[fail[s]!]!) if (!outputs[s]!.includes(o)) outputs[s]!.push(o);
    for (let c = 0; c < 128; c++) {
      const t = goto[s * 128 + c]!;
      if (t !== 0) {
        fail[t] = goto[fail[s]! * 128 + c]!;
        queue.push(t);
      } else goto[s * 128 + c] = goto[fail[s]! * 128 + c]!;
    }
  }
  const table = goto.subarray(0, states * 128);
  // Upper-case letters read as lower case, by copying their columns.
  for (let s = 0; s < states; s++) for (let c = 0x41; c <= 0x5a; c++) table[s * 128 + c] = table[s * 128 + c + 0x20]!;
  const out = outputs.map((o) => Int32Array.from(o));
  const total = sets.length;
  return {
    matching(doc: ScanText): Set<number> {
      const hit = new Set<number>(always);
      const text = doc.text;
      let s = 0;
      for (let i = 0, n = text.length; i < n && hit.size < total; i++) {
        let c = text.charCodeAt(i);
        if (c >= 128) {
          if (c === KELVIN) c = 0x6b;
          else if (c === LONG_S) c = 0x73;
          else {
            s = 0;
            continue;
          }
        }
        s = table[s * 128 + c]!;
        const o = out[s]!;
        for (let k = 0; k < o.length; k++) hit.add(o[k]!);
      }
      return hit;
    },
  };
}
