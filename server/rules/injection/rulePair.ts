import type { Lang } from '../../analysis/ast';
import type { Rule } from '../../core/rule';

/**
 * Twin rules: most injection risks exist in JavaScript/TypeScript and in Python alike, with one rule per language
 * (the id, the prefilter keywords and the samples differ; the title, description, category, severity, CWE/OWASP
 * tags and docs do not). A pair declares the shared metadata once, next to each language's own parts, so the
 * twins cannot drift apart.
 */

/** The declaration of a rule pair: what both rules share, and what each language adds or overrides. */
export interface RulePairSpec<Shared, Own> {
  /** Metadata both rules carry. */
  shared: Shared;
  /** The JavaScript/TypeScript rule's own parts, and any shared field it words differently. */
  js: Own & Partial<Shared>;
  /** The Python rule's own parts, and any shared field it words differently. */
  python: Own & Partial<Shared>;
}

/** The two rules of a pair, by language. */
export interface RulePair {
  /** The rule for JavaScript and TypeScript files. */
  js: Rule;
  /** The rule for Python files. */
  python: Rule;
}

/** Builds both rules of a pair: `build` receives the shared fields merged with one language's own. */
export function rulePair<Shared extends object, Own extends object>(
  spec: RulePairSpec<Shared, Own>,
  build: (fields: Shared & Own, lang: Lang) => Rule,
): RulePair {
  return {
    js: build({ ...spec.shared, ...spec.js }, 'js'),
    python: build({ ...spec.shared, ...spec.python }, 'python'),
  };
}
