import type { Category, Severity } from '../../../shared/types';
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
  /** Severity of a generic finding (no tool parameter involved). */
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
  return defineRule({
    ...meta,
    kinds: [lang],
    detect(ctx) {
      const found = sinksOf(ctx);
      if (!found || found.facts.lang !== lang) return [];
      const out: RawFinding[] = [];
      for (const sink of found.sinks) {
        if (sink.family !== family) continue;
        const verdict = sink.reportTainted || sink.dynamicArg ? taintAtSink(ctx, sink) : undefined;
        const hit = verdict && 'hit' in verdict && sourceReaches(verdict.hit.source, family) ? verdict.hit : undefined;
        if (hit && (sink.reportTainted || hit.arg === sink.dynamicArg || sink.dynamicArg)) {
          const from = describeSource(hit.source);
          out.push({
            start: hit.arg.startIndex,
            end: hit.arg.endIndex,
            severity: taintedSeverity,
            message: `${capital(from)} reaches ${sink.api} as ${noun} without a sanitiser.${sink.note ? ` ${sink.note}` : ''}`,
            related: [{ ...hit.source.span, message: `${capital(from)} flows to ${sink.api} here.` }],
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

/** Capitalises the first letter. */
function capital(s: string): string {
  return s.charAt(0).toUpperCase() + s.slice(1);
}
