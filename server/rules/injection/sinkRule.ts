import { SEVERITIES, type Category, type Severity } from '../../../shared/types';
import { sinksOf, type SinkFamily } from '../../analysis/sinks';
import { bundledDependencySpans, insideSpans } from '../../analysis/sinks/bundled';
import type { Lang } from '../../analysis/ast';
import { describeSource, taintAtSink } from '../../analysis/taint';
import { sourceReaches } from '../../analysis/taint/httpSources';
import { defineRule, type RawFinding, type Rule, type RuleSample } from '../../core/rule';
import { rulePair, type RulePair, type RulePairSpec } from './rulePair';

/** What a sink rule declares; detection is shared (see `sinkRule`). */
export interface SinkRuleSpec {
  /** Stable rule id. */
  id: string;
  /** Language family the rule runs on. */
  lang: Lang;
  /** Sink family it reports. */
  family: SinkFamily;
  /** Rule title. */
  title: string;
  /** One sentence naming the risk. */
  description: string;
  /** Canonical category. */
  category: Category;
  /**
   * Severity of a generic finding (non-literal input, no tool parameter reaching it): never above medium, since
   * nothing says a caller controls the value (`sinkRule` refuses more). Tool-parameter findings use `taintedSeverity`.
   */
  severity: Severity;
  /** Severity when a tool parameter reaches the sink. */
  taintedSeverity: Severity;
  /** CWE tags. */
  cwe: string[];
  /** OWASP / MCP Top 10 tags. */
  owasp: string[];
  /** Prefilter keywords. */
  keywords: string[];
  /** Docs in Markdown. */
  docs: string;
  /** What flows in, for messages: "shell command", "SQL text", "file path", "URL", "code", "serialized data". */
  noun: string;
  /** True when the rule offers fixes. */
  fixable?: boolean;
  /** Samples («» marks the reported argument expression). */
  positive: RuleSample[];
  /** Samples that must stay quiet. */
  negative: RuleSample[];
}

/**
 * Builds a rule over one sink family. A sink is reported once: on the argument a tool parameter reaches (with
 * the higher severity, a message naming the parameter and a related location at its declaration), otherwise on
 * the non-literal argument that makes it dangerous on its own (command, code, SQL and deserialization only),
 * except inside a dependency module that a bundler inlined (see `analysis/sinks/bundled.ts`).
 * The reported span is always the dangerous argument expression, never the whole call.
 */
export function sinkRule(spec: SinkRuleSpec): Rule {
  const { lang, family, noun, taintedSeverity, ...meta } = spec;
  // Severity follows reachability: a generic finding is a lead, not a proven flow, so it never fails a build at the
  // default threshold (high) and never outranks a finding that a tool parameter really reaches.
  if (GENERIC_FAMILIES.has(family) && SEVERITIES.indexOf(spec.severity) < SEVERITIES.indexOf('medium'))
    throw new Error(`${spec.id}: a generic ${family} finding must not be above medium (found ${spec.severity})`);
  return defineRule({
    ...meta,
    docs: `${meta.docs}\n\n${severityDocs(family, spec.severity, taintedSeverity)}`,
    kinds: [lang],
    // A sink in a test, a fixture or a release script runs the developer's own input: left out there by default.
    sourceOnly: true,
    detect(ctx) {
      const found = sinksOf(ctx);
      if (!found || found.facts.lang !== lang) return [];
      const out: RawFinding[] = [];
      // A call with two paths (copyFile(src, dest)) is two sinks, one per access; it is reported once.
      const reported = new Set<number>();
      for (const sink of found.sinks) {
        if (sink.family !== family || reported.has(sink.call.id)) continue;
        const verdict = sink.reportTainted || sink.dynamicArg ? taintAtSink(ctx, sink) : undefined;
        const hit = verdict && 'hit' in verdict && sourceReaches(verdict.hit.source, family) ? verdict.hit : undefined;
        if (hit && (sink.reportTainted || hit.arg === sink.dynamicArg || sink.dynamicArg)) {
          reported.add(sink.call.id);
          const from = describeSource(hit.source);
          out.push({
            start: hit.arg.startIndex,
            end: hit.arg.endIndex,
            severity: taintedSeverity,
            message: `${capital(from)} reaches ${sink.api} as ${noun} without a sanitiser.${sink.note ? ` ${sink.note}` : ''}`,
            // A tool input from another file carries its hops (tool handler → … → this function) first.
            related: [
              ...(hit.source.hops ?? []),
              { ...hit.source.span, message: `${capital(from)} flows to ${sink.api} here.` },
            ],
            fix: sink.fix,
          });
        } else if (
          sink.dynamicArg &&
          !verdict &&
          !insideSpans(bundledDependencySpans(ctx), sink.call.startIndex, sink.call.endIndex)
        ) {
          // Inside a handler whose guard vouches for the value, the generic finding would be noise; inside a
          // dependency that a bundler inlined, it is the dependency's code, which the scan leaves alone.
          out.push({
            start: sink.dynamicArg.startIndex,
            end: sink.dynamicArg.endIndex,
            message: `${capital(noun)} passed to ${sink.api} is built from non-literal input.`,
            fix: sink.fix,
          });
        }
      }
      return out;
    },
  });
}

/** The parts of a sink rule that differ between its JavaScript and Python twins. */
export type SinkRuleOwn = Pick<SinkRuleSpec, 'id' | 'keywords' | 'positive' | 'negative'>;
/** The parts of a sink rule that its twins share (the language is set by the pair). */
export type SinkRuleShared = Omit<SinkRuleSpec, 'lang' | keyof SinkRuleOwn>;

/** Builds the JavaScript and Python sink rules of one family from one declaration (see rulePair.ts). */
export function sinkRulePair(spec: RulePairSpec<SinkRuleShared, SinkRuleOwn>): RulePair {
  return rulePair(spec, (fields, lang) => sinkRule({ ...fields, lang }));
}

/** The families reported on a non-literal argument alone; path and URL sinks need a tool parameter. */
const GENERIC_FAMILIES: ReadonlySet<SinkFamily> = new Set(['command', 'code', 'sql', 'deser']);

/** Why each family's generic finding has the severity it has, for the rule docs. */
const GENERIC_WHY: Partial<Record<SinkFamily, string>> = {
  command:
    'A shell command built from a variable is dangerous only if someone else chooses the variable; in shipped code that is worth a look (a later change can route a tool argument into it), but it is not a proven injection.',
  code: 'Evaluating a built string is risky whoever builds it, yet without a caller-controlled value it is a code smell to review, not an exploit.',
  sql: 'Interpolated SQL without caller input is usually an identifier or a fixed fragment chosen by the code; it deserves parameters, not an alarm.',
  deser:
    'Unsafe loaders on data the server produced itself (a cache, its own files) are a hazard if that data can be replaced, which the scan cannot see.',
};

/** The "Severity" paragraph of a sink rule's docs: tool-reached findings, generic findings, and test code. */
function severityDocs(family: SinkFamily, generic: Severity, tainted: Severity): string {
  const why = GENERIC_WHY[family];
  return (
    `**Severity.** ${capital(tainted)} when an MCP tool parameter reaches the sink (the finding names the tool and parameter).` +
    (why ? ` ${capital(generic)} when the argument is merely non-literal. ${why}` : '') +
    ' In test, spec, fixture, script and build-config files these findings are left out unless the scan includes tests (`--include-tests`, `"includeTests": true` in `.mcp-sentinel.json`, or the `mcpSentinel.includeTests` setting); the report counts what was left out.'
  );
}

/** Capitalises the first letter. */
function capital(s: string): string {
  return s.charAt(0).toUpperCase() + s.slice(1);
}
