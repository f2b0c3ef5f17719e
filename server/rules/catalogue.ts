import type { RuleMeta, Severity } from '../../shared/types';
import { ruleMetaOf, type Rule } from '../core/rule';
import { attachHelp } from './fixes';
import { metaRules } from './meta';
import { packageRules } from './packages';
import { builtinRules } from './index';

// Every shipped rule gets its fix line and page link once, before any front end reads the catalogue.
attachHelp([...builtinRules, ...metaRules, ...packageRules]);

/**
 * The one rule catalogue: the built-in packs, then the meta rules about suppressions and the package rules about
 * vetted archives, then the project's custom rules and any extra rules (tests). `mcp-sentinel rules`, the generated docs, SARIF rule definitions, `merge`,
 * the engine and the editor all take their list from here, so they cannot count different rules.
 */
export function ruleCatalogue(custom: readonly Rule[] = [], extra: readonly Rule[] = []): readonly Rule[] {
  return [...builtinRules, ...metaRules, ...packageRules, ...custom, ...extra];
}

/** The ids of the catalogue, for validating rule ids in project files. */
export function catalogueIds(custom: readonly Rule[] = [], extra: readonly Rule[] = []): string[] {
  return ruleCatalogue(custom, extra).map((r) => r.id);
}

/**
 * Metadata of the rules that run, with their effective severity (`severityOf` returns `off` for a disabled rule,
 * which is left out): what a report's `rules` count and SARIF's `tool.driver.rules` describe.
 */
export function enabledRuleMeta(rules: readonly Rule[], severityOf: (r: Rule) => Severity | 'off'): RuleMeta[] {
  const out: RuleMeta[] = [];
  for (const r of rules) {
    const severity = severityOf(r);
    if (severity !== 'off') out.push(ruleMetaOf(r, severity));
  }
  return out;
}
