// A small Dockerfile reader: instructions with their spans, continuation lines joined. Enough for the hardening
// rules, which need the stages, USER, ENV/ARG and ADD; RUN scripts are matched with patterns on the text itself.

import { regexText } from '../../core/text';

/** One Dockerfile instruction. */
export interface Instruction {
  /** Upper-case keyword (FROM, RUN, USER, …). */
  keyword: string;
  /** Offset of the keyword. */
  start: number;
  /** End of the instruction (before the final line break). */
  end: number;
  /** The arguments as written, with continuation backslashes and line breaks replaced by spaces. */
  args: string;
  /**
   * Maps an index into `args` to a document offset. Continuations make the two differ; for single-line
   * instructions it is `argsStart + i`.
   */
  offsetOf(i: number): number;
}

/** Parses a Dockerfile into instructions (comments and parser directives skipped). */
export function parseDockerfile(text: string): Instruction[] {
  const escape = /^#\s*escape\s*=\s*`/im.test(text.slice(0, 200)) ? '`' : '\\';
  const out: Instruction[] = [];
  const lines: { start: number; text: string }[] = [];
  let pos = 0;
  // Lone CRs end lines too (core/text.ts); regexText turns them into LF without moving any offset.
  for (const raw of regexText(text).split('\n')) {
    lines.push({ start: pos, text: raw.endsWith('\r') ? raw.slice(0, -1) : raw });
    pos += raw.length + 1;
  }
  for (let i = 0; i < lines.length; i++) {
    const line = lines[i]!;
    const trimmed = line.text.trimStart();
    if (trimmed === '' || trimmed.startsWith('#')) continue;
    const lead = line.text.length - trimmed.length;
    const kw = /^[A-Za-z]+/.exec(trimmed)?.[0] ?? '';
    // Collect the argument text and the offset of each of its characters across continuation lines.
    let args = '';
    const offsets: number[] = [];
    let seg = { start: line.start + lead + kw.length, text: trimmed.slice(kw.length) };
    let end = line.start + line.text.length;
    for (;;) {
      let body = seg.text;
      const continued = body.trimEnd().endsWith(escape);
      if (continued) body = body.trimEnd().slice(0, -1);
      for (let k = 0; k < body.length; k++) {
        args += body[k];
        offsets.push(seg.start + k);
      }
      end = seg.start + seg.text.length;
      if (!continued) break;
      // Skip comment lines inside a continuation, as Docker does.
      let j = i + 1;
      while (j < lines.length && lines[j]!.text.trimStart().startsWith('#')) j++;
      if (j >= lines.length) break;
      i = j;
      args += ' ';
      offsets.push(lines[j]!.start);
      seg = { start: lines[j]!.start, text: lines[j]!.text };
    }
    // Trim leading spaces of the arguments, keeping the offset map aligned.
    let cut = 0;
    while (cut < args.length && (args[cut] === ' ' || args[cut] === '\t')) cut++;
    const a = args.slice(cut);
    const offs = offsets.slice(cut);
    const last = end;
    out.push({
      keyword: kw.toUpperCase(),
      start: line.start + lead,
      end,
      args: a.trimEnd(),
      offsetOf: (k: number) =>
        k < offs.length ? offs[k]! : k === offs.length && offs.length > 0 ? offs[offs.length - 1]! + 1 : last,
    });
  }
  return out;
}

/** A build stage: its FROM instruction, image, optional alias and the instructions it holds. */
export interface Stage {
  /** The FROM instruction. */
  from: Instruction;
  /** The image reference (after FROM options such as --platform). */
  image: string;
  /** Index of the image reference in `from.args`. */
  imageAt: number;
  /** The alias after AS, lower case. */
  alias?: string;
  /** Instructions of this stage after FROM. */
  body: Instruction[];
}

/** Splits instructions into stages. */
export function stagesOf(instructions: Instruction[]): Stage[] {
  const stages: Stage[] = [];
  for (const ins of instructions) {
    if (ins.keyword === 'FROM') {
      const words = ins.args.split(/\s+/);
      let k = 0;
      while (k < words.length && words[k]!.startsWith('--')) k++;
      const image = words[k] ?? '';
      const imageAt = ins.args.indexOf(image, words.slice(0, k).join(' ').length);
      const asAt = words.findIndex((w, n) => n > k && w.toLowerCase() === 'as');
      const alias = asAt > 0 ? words[asAt + 1]?.toLowerCase() : undefined;
      stages.push({ from: ins, image, imageAt, ...(alias ? { alias } : {}), body: [] });
    } else stages[stages.length - 1]?.body.push(ins);
  }
  return stages;
}
