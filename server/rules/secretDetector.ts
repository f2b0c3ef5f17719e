/**
 * The secret detectors as one function over any string, for masking what the front ends emit (report strings,
 * code excerpts, names in messages, the pin file). It runs every built-in rule of category `secret` on the text read
 * as a plain text file, which is the widest reading the packs have (provider formats anywhere, private keys, database
 * URLs, and `name = value` / `name: value` assignments); when the caller says which file the text is, the rules
 * of that file's kind run too, so the MCP client config pack can report a value it knows is a credential by where
 * it sits (`env`, `headers`, `--api-key`). The answer does not depend on any project setting: turning a rule off
 * changes what is reported, never what is masked.
 */
import type { FileKind } from '../../shared/types';
import { createDetectContext } from '../core/context';
import { classifyPath } from '../core/fileKinds';
import type { KeywordPrefilter, RegexBackend } from '../core/regex';
import { regexBackend } from '../core/regex';
import type { Rule, Span } from '../core/rule';
import { cachedDetector, maskSecretsIn, type SecretDetector } from '../core/mask';
import { configRules } from './client-config';
import { secretsRules } from './secrets';

/** The rules of one file kind, with their keyword prefilter. */
interface KindRules {
  rules: Rule[];
  prefilter: KeywordPrefilter;
}

/**
 * Builds the detector: `(text, path?) => spans`. Rules are grouped by kind once; a rule that throws on some text
 * is skipped for that text (a detector failure must not stop a report from being written).
 */
export function secretDetector(backend: RegexBackend = regexBackend()): (text: string, path?: string) => Span[] {
  // The two packs that hold secret rules, imported directly (not through the catalogue) so that rules of other
  // packs, such as the drift rule, can use `maskedName` without an import cycle.
  const secretRules = [...secretsRules, ...configRules].filter((r) => r.category === 'secret');
  const byKind = new Map<FileKind, KindRules>();
  const rulesOf = (kind: FileKind): KindRules => {
    let entry = byKind.get(kind);
    if (!entry) {
      // Beyond plain text, only the rules that do not read plain text add anything (the client config pack).
      const rules = secretRules.filter((r) => r.kinds.includes(kind) && (kind === 'text' || !r.kinds.includes('text')));
      entry = { rules, prefilter: backend.prefilter(rules.map((r) => r.keywords)) };
      byKind.set(kind, entry);
    }
    return entry;
  };
  const run = (text: string, kind: FileKind, out: Span[]): void => {
    const { rules, prefilter } = rulesOf(kind);
    if (!rules.length) return;
    const { ctx, dispose } = createDetectContext(backend, 'excerpt', text, kind);
    try {
      for (const i of prefilter.matching(ctx.doc)) {
        try {
          for (const f of rules[i]!.detect(ctx)) out.push({ start: f.start, end: f.end });
        } catch {
          // A rule that fails here fails in the scan too, where it is reported as a rule error.
        }
      }
    } finally {
      dispose();
    }
  };
  return (text, path) => {
    const out: Span[] = [];
    if (!text) return out;
    run(text, 'text', out);
    const kind = path === undefined ? undefined : classifyPath(path);
    if (kind && kind !== 'text') run(text, kind, out);
    return out;
  };
}

let nameDetector: SecretDetector | undefined;

/**
 * A name (tool, server, parameter, package) with every secret-shaped value in it masked: the pin file records
 * names and the drift rule looks them up, so both mask them the same way and a token used as a name is never
 * written whole. Most names hold no secret and come back unchanged.
 */
export function maskedName(name: string): string {
  nameDetector ??= cachedDetector(secretDetector());
  return maskSecretsIn(name, nameDetector);
}
