import type { TSNode } from '../parse';
import { calleeOf, keywordArg, positionalArgs, propertyName, receiverOf } from '../ast';
import { qualify, type CodeFacts } from './facts';
import type { Sink } from './types';

/**
 * Template engines that compile a template string into code: a caller who supplies the template (not only the
 * values rendered into it) runs expressions on the server (Jinja2 `{{ ''.__class__.__mro__… }}`, EJS `<%= … %>`,
 * Handlebars and lodash helpers). These are code sinks reported only when a tool parameter or request value is
 * the template: a template read from the server's own files is the normal use, so a non-literal template alone
 * says nothing. Values passed as the render context are never the sink.
 */

/**
 * JS functions that compile or render their first argument as a template, by qualified name (after import
 * aliases). Mustache is absent on purpose: it is logic-less, a template cannot run code.
 */
export const JS_TEMPLATE_CALLS = new Set([
  'ejs.render',
  'ejs.compile',
  'handlebars.compile',
  'handlebars.precompile',
  'Handlebars.compile',
  'lodash.template',
  'lodash.template.default',
  'lodash.es.template',
  'lodash-es.template',
  'underscore.template',
  'pug.render',
  'pug.compile',
  'nunjucks.renderString',
  'dot.template',
  'doT.template',
]);

/** Python calls and constructors that compile their first argument as a template, by qualified name. */
export const PY_TEMPLATE_CALLS = new Set([
  'jinja2.Template',
  'jinja2.environment.Template',
  'mako.template.Template',
  'flask.render_template_string',
  'render_template_string',
  'django.template.Template',
  'django.template.Engine().from_string',
]);

/**
 * Methods that compile a template string on an environment object: Jinja2 `Environment().from_string(src)`, and
 * `nunjucks.configure().renderString(src)`. The receiver must resolve to the engine (by import or construction):
 * a sandboxed environment (`jinja2.sandbox.SandboxedEnvironment`) is deliberately absent, it is the fix.
 */
const ENV_METHODS = new Map<string, RegExp>([
  ['from_string', /^jinja2\.(?:Environment|environment\.Environment)\(\)/],
  ['renderString', /^nunjucks(?:\.Environment|\.configure)\(\)/],
]);

/** The template sink of one call, if it is one (JavaScript or Python). */
export function templateSink(call: TSNode, q: string, facts: CodeFacts): Sink | undefined {
  const isPy = facts.lang === 'python';
  const table = isPy ? PY_TEMPLATE_CALLS : JS_TEMPLATE_CALLS;
  let api: string | undefined;
  if (table.has(q) || (isPy && table.has(q.replace(/\(\)$/, '')))) api = q;
  else {
    const name = propertyName(calleeOf(call)!) ?? '';
    const env = ENV_METHODS.get(name);
    const recv = env && receiverOf(call);
    const r = recv ? (qualify(recv, facts.aliases) ?? '') : '';
    if (env && env.test(r)) api = `${r.replace(/\(\).*$/, '()')}.${name}`;
  }
  if (!api) return undefined;
  const arg = positionalArgs(call)[0] ?? (isPy ? keywordArg(call, 'source') : undefined);
  if (!arg) return undefined;
  return { call, family: 'code', api: `${api} (template)`, args: [arg], reportTainted: true };
}
