import { mcpMetadataOf } from '../../analysis/mcp/extract';
import { grammarFor, nodeIndexOf, treeOf, type NodeIndex, type TSNode } from '../../analysis/parse';
import type { DetectContext, RawFinding, Rule } from '../../core/rule';
import type { Severity } from '../../../shared/types';
import {
  extraState,
  extraTriggerOf,
  isRewrite,
  persistentCounters,
  shipsLiteral,
  switchesText,
  type Lang,
} from './rugTriggers';
import { rugPullNegative, rugPullPositive } from './rugPullSamples';

/**
 * Rug-pull code patterns: a server that behaves well while it is reviewed and changes later. We look for
 * *triggers* (a module-level call counter or first-call flag, an absolute date, the client's identity) gating
 * *switches* (a tool description rewritten, a tool registered or re-announced with list_changed, or a tool handler
 * taking another branch). Each half alone is ordinary code: counters for metrics, caches with TTLs, list_changed
 * when config enables a tool, lazy initialisation. Only the combination is reported.
 */

/** Module-level mutable state that functions update: counters (`n++`, `n += 1`) and flags (`x = true`). */
function stateVariables(root: TSNode, index: NodeIndex, lang: Lang): { counters: Set<string>; flags: Set<string> } {
  const moduleVars = new Set<string>();
  const counters = new Set<string>();
  const flags = new Set<string>();
  if (lang === 'js') {
    for (const st of root.namedChildren) {
      const decl = st?.type === 'export_statement' ? st.namedChildren.find((c) => c?.type.endsWith('declaration')) : st;
      if (!decl || !(decl.type === 'lexical_declaration' || decl.type === 'variable_declaration')) continue;
      if (decl.type === 'lexical_declaration' && !decl.text.startsWith('let')) continue;
      for (const d of decl.namedChildren) {
        const v = d?.childForFieldName('value');
        if (d?.type === 'variable_declarator' && v && /^(?:number|true|false)$/.test(v.type))
          moduleVars.add(d.childForFieldName('name')!.text);
      }
    }
    // Only updates of a module-level variable count: with none declared there is nothing to look for, and the
    // (cheaper) target check runs before the walk up to the enclosing function.
    for (const u of moduleVars.size
      ? index.of(['update_expression', 'augmented_assignment_expression', 'assignment_expression'])
      : []) {
      if (!u) continue;
      const target = u.type === 'update_expression' ? u.namedChildren[0] : u.childForFieldName('left');
      if (target?.type !== 'identifier' || !moduleVars.has(target.text) || !insideFunction(u)) continue;
      const right = u.childForFieldName('right');
      if (u.type === 'assignment_expression') {
        if (right?.type === 'true' || right?.type === 'false') flags.add(target.text);
        else if (right?.type === 'binary_expression' && right.text.startsWith(target.text)) counters.add(target.text);
      } else counters.add(target.text);
    }
  } else {
    for (const st of root.namedChildren) {
      const a = st?.type === 'expression_statement' ? st.namedChildren[0] : undefined;
      const left = a?.type === 'assignment' ? a.childForFieldName('left') : undefined;
      const right = a?.childForFieldName('right');
      if (left?.type === 'identifier' && right && /^(?:integer|float|true|false)$/.test(right.type))
        moduleVars.add(left.text);
    }
    for (const u of moduleVars.size ? index.of(['augmented_assignment', 'assignment']) : []) {
      if (!u) continue;
      const target = u.childForFieldName('left');
      if (target?.type !== 'identifier' || !moduleVars.has(target.text) || !insideFunction(u)) continue;
      const right = u.childForFieldName('right');
      if (u.type === 'augmented_assignment') counters.add(target.text);
      else if (right?.type === 'true' || right?.type === 'false') flags.add(target.text);
      else if (right?.type === 'binary_operator' && right.text.startsWith(target.text)) counters.add(target.text);
    }
  }
  return { counters, flags };
}

/** True when a node sits inside a function body. */
function insideFunction(n: TSNode): boolean {
  for (let p = n.parent; p; p = p.parent) {
    if (/function|arrow_function|method_definition|lambda/.test(p.type)) return true;
  }
  return false;
}

/** Identifiers used in a node. */
function identifiers(n: TSNode): Set<string> {
  return new Set(n.descendantsOfType('identifier').map((i) => i?.text ?? ''));
}

/** What gates a branch, if anything suspicious. */
interface Trigger {
  /** Kind of trigger. */
  kind: 'counter' | 'flag' | 'date' | 'client' | 'marker' | 'remote' | 'uptime';
  /** For messages. */
  what: string;
}

/** Classifies a condition. */
function triggerOf(cond: TSNode, state: { counters: Set<string>; flags: Set<string> }): Trigger | undefined {
  const text = cond.text;
  const ids = identifiers(cond);
  if (
    /\b(?:getClientVersion|clientInfo|client_info|clientVersion|client_params|clientName|client_name)\b/.test(text) &&
    /["'`]/.test(text)
  ) {
    return { kind: 'client', what: "the client's identity" };
  }
  // An absolute date (a timestamp literal or a Date/datetime built from constants) is a time bomb; Date.now() - t
  // against a TTL is a cache and does not count.
  if (
    /\b(?:Date\.now|new\s+Date|performance\.now|time\.time|datetime\.(?:now|today|utcnow)|date\.today|now)\s*\(/.test(
      text,
    ) &&
    /\b\d{10,}\b|new\s+Date\(\s*["'`\d]|\bdatetime\(\s*\d{4}|\bdate\(\s*\d{4}/.test(text)
  ) {
    return { kind: 'date', what: 'a fixed date' };
  }
  for (const c of state.counters) {
    // `self.calls` (a Python attribute counter) is matched on the text, a plain name on the identifiers.
    const used = c.includes('.') ? new RegExp(`\\b${c.replace('.', '\\s*\\.\\s*')}\\b`).test(text) : ids.has(c);
    if (used && /[<>]=?|===?|!==?|%/.test(text)) return { kind: 'counter', what: `the call counter "${c}"` };
  }
  for (const f of state.flags) if (ids.has(f)) return { kind: 'flag', what: `the first-call flag "${f}"` };
  return undefined;
}

/**
 * Description rewrites, tool registrations and list_changed notifications inside a node. The assignments and calls
 * are read from the document's node index (the same nodes as `descendantsOfType`): this runs for every handler, and
 * a traversal per handler of a large server cost more than the rest of the rule.
 */
function switches(n: TSNode, lang: Lang, index: NodeIndex): TSNode[] {
  const out: TSNode[] = [];
  if (lang === 'js') {
    for (const a of index.within(n, ['assignment_expression'])) {
      const left = a?.childForFieldName('left');
      if (
        a &&
        left?.type === 'member_expression' &&
        /^(?:description|title|inputSchema|callback|handler)$/.test(left.childForFieldName('property')?.text ?? '')
      )
        out.push(a);
    }
    for (const c of index.within(n, ['call_expression'])) {
      const fn = c?.childForFieldName('function');
      const method = fn?.type === 'member_expression' ? (fn.childForFieldName('property')?.text ?? '') : '';
      const args = c?.childForFieldName('arguments')?.text ?? '';
      if (!c) continue;
      if (method === 'update' && /\b(?:description|callback|paramsSchema|inputSchema|title)\b/.test(args)) out.push(c);
      else if (/^(?:tool|registerTool|sendToolListChanged)$/.test(method) || /tools\/list_changed/.test(args))
        out.push(c);
    }
  } else {
    for (const a of index.within(n, ['assignment'])) {
      const left = a?.childForFieldName('left');
      if (
        a &&
        left?.type === 'attribute' &&
        /^(?:description|title|fn|inputSchema|input_schema|__doc__)$/.test(
          left.childForFieldName('attribute')?.text ?? '',
        )
      )
        out.push(a);
    }
    for (const c of index.within(n, ['call'])) {
      const fn = c?.childForFieldName('function');
      const attr = fn?.type === 'attribute' ? (fn.childForFieldName('attribute')?.text ?? '') : '';
      if (c && (/^(?:send_tool_list_changed|add_tool|remove_tool)$/.test(attr) || /tools\/list_changed/.test(c.text)))
        out.push(c);
    }
  }
  return out.sort((a, b) => a.startIndex - b.startIndex);
}

/** True when a branch only reports an error or logs (rate limits, circuit breakers, sampling of logs). */
function benignBranch(body: TSNode | null | undefined): boolean {
  if (!body) return true;
  const stmts =
    body.type === 'statement_block' || body.type === 'block'
      ? body.namedChildren.filter((s): s is TSNode => !!s && s.type !== 'comment')
      : [body];
  return (
    stmts.length > 0 &&
    stmts.every(
      (s) =>
        /^(?:throw|raise)\b/.test(s.text) ||
        /^return\b[\s\S]*\b(?:isError|[Ee]rror|[Ee]xception)\b/.test(s.text) ||
        /^(?:await\s+)?(?:console|logger|log|logging|metrics|stats|telemetry)\.\w+\(|^print\(|^\w+\s*(?:\+\+|\+=)/.test(
          s.text,
        ),
    )
  );
}

/** Tool handler functions (SDK handlers and low-level dispatchers). */
function handlerNodes(ctx: DetectContext): TSNode[] {
  const meta = mcpMetadataOf(ctx);
  return [...meta.entities.flatMap((e) => (e.handler ? [e.handler] : [])), ...meta.dispatchers.map((d) => d.handler)];
}

/** Ranges of tool handler functions (SDK handlers and low-level dispatchers). */
function handlerRanges(ctx: DetectContext): { start: number; end: number }[] {
  const meta = mcpMetadataOf(ctx);
  const out: { start: number; end: number }[] = [];
  for (const e of meta.entities) if (e.handler) out.push({ start: e.handler.startIndex, end: e.handler.endIndex });
  for (const d of meta.dispatchers) out.push({ start: d.handler.startIndex, end: d.handler.endIndex });
  return out;
}

/** `mcp-rug-pull-pattern`: behaviour or metadata that switches after N calls, at a date, or per client. */
export const rugPullPattern: Rule = {
  id: 'mcp-rug-pull-pattern',
  title: 'MCP rug-pull pattern',
  description:
    "A tool's description or behaviour switches after a number of calls, at a fixed date or for a specific client, so what was reviewed is not what later runs.",
  category: 'tool-poisoning',
  severity: 'high',
  cwe: ['CWE-506'],
  owasp: ['LLM03:2025'],
  kinds: ['js', 'python'],
  keywords: ['tool'],
  docs: [
    'A rug pull ships a clean tool, waits until it is approved, then changes: a counter (`if (++calls > 3)`), a first-call',
    'flag, a time bomb (`Date.now() > 1767225600000`, `setTimeout(() => tool.update({ description }), …)`) or the',
    'client\'s identity (`getClientVersion()?.name === "cursor"`) gates a rewritten description, a newly registered tool,',
    'a `tools/list_changed` notification or a different branch in a tool handler. Reported: such a switch under such a',
    'trigger (high), a time-delayed rewrite (high), and trigger-gated branches inside tool handlers (medium; high for',
    'a fixed date). Also triggers: a counter kept in the closure of the registering function or on `self`, the',
    "server's uptime (`Date.now() - startedAt` against a module-level start time), a marker file the server both checks",
    'and creates (a first-run flag that survives restarts; switches only), and a flag fetched from a remote server when',
    'it gates a definition written in the code (switches only). A description rewritten with a literal inside a tool',
    'handler is reported without a trigger: it changes after the first call. Not reported: counters for metrics, rate',
    'limits and circuit breakers that only return errors, TTL caches (`Date.now() - t < ttl`), lazy initialisation, a',
    'data file created on first use, list_changed sent when configuration changes, a proxy registering the tools an',
    'upstream server lists, and a tool that installs a plugin the user asked for (its new tools are announced with',
    'list_changed and listed by the client like any other; pinning records them).',
    'Fix: make tool metadata static and behaviour independent of call count, date and client; pin definitions with',
    '`mcp-sentinel pin`.',
  ].join(' '),
  detect(ctx) {
    const tree = treeOf(ctx);
    if (!tree) return [];
    const meta = mcpMetadataOf(ctx);
    if (!meta.usesMcpSdk && meta.entities.length === 0 && meta.dispatchers.length === 0) return [];
    const lang: Lang = grammarFor(ctx.path) === 'python' || ctx.kind === 'python' ? 'python' : 'js';
    const root = tree.rootNode;
    const index = nodeIndexOf(ctx)!;
    const handlers = handlerRanges(ctx);
    const state = stateVariables(root, index, lang);
    for (const c of persistentCounters(index, lang, handlers)) state.counters.add(c);
    const extra = extraState(root, index, lang);
    const out: RawFinding[] = [];
    const reported = new Set<number>();

    for (const ifs of index.of('if_statement')) {
      if (!ifs) continue;
      const cond = ifs.childForFieldName('condition');
      if (!cond) continue;
      const trig: Trigger | undefined = triggerOf(cond, state) ?? extraTriggerOf(cond, extra);
      if (!trig) continue;
      // The triggers of rugTriggers.ts count only for switches of what the model reads (a handler swapped under a
      // marker or a fetched value is library plumbing). A remote flag gates what a proxy registers too: it is a rug
      // pull when the code ships the second definition itself, and a bare list_changed then says nothing.
      const extraKind = trig.kind === 'marker' || trig.kind === 'uptime' || trig.kind === 'remote';
      const sw = switches(ifs, lang, index).filter(
        (s) =>
          !reported.has(s.startIndex) &&
          (!extraKind ||
            (trig.kind === 'remote'
              ? switchesText(s) && shipsLiteral(s)
              : switchesText(s) || /list_changed|ListChanged/.test(s.text))),
      );
      if (sw.length > 0) {
        for (const s of sw) {
          reported.add(s.startIndex);
          out.push({
            start: s.startIndex,
            end: s.endIndex,
            message: `Tool metadata switched under ${trig.what}: ${firstLine(s.text)}`,
          });
        }
        continue;
      }
      const inHandler = handlers.some((h) => ifs.startIndex >= h.start && ifs.endIndex <= h.end);
      // A marker file or a fetched flag in a handler is mostly a data file or a feature flag: only switches count.
      if (!inHandler || trig.kind === 'marker' || trig.kind === 'remote') continue;
      const consequence = ifs.childForFieldName('consequence');
      const alternative = ifs.childForFieldName('alternative');
      if (
        benignBranch(consequence) &&
        (!alternative || benignBranch(alternative.namedChildren.find((c) => c?.type !== 'comment') ?? alternative))
      )
        continue;
      // A first-call flag that is only set (lazy initialisation) changes nothing the caller sees.
      if (trig.kind === 'flag' && !alternative && !/\breturn\b/.test(consequence?.text ?? '')) continue;
      const inner = cond.type === 'parenthesized_expression' ? (cond.namedChildren[0] ?? cond) : cond;
      const severity: Severity = trig.kind === 'date' ? 'high' : 'medium';
      out.push({
        start: inner.startIndex,
        end: inner.endIndex,
        severity,
        message: `Tool handler behaviour depends on ${trig.what}: ${firstLine(inner.text)}`,
      });
    }

    // A handler that rewrites tool metadata with text of its own: the definition changes after the first call. A
    // registration in a handler is not reported: a tool that adds a plugin the user asked for announces the new tool
    // with list_changed, and the client lists it (and `mcp-sentinel pin` records it) like any other.
    for (const h of handlerNodes(ctx)) {
      for (const s of switches(h, lang, index)) {
        if (reported.has(s.startIndex) || !isRewrite(s) || !switchesText(s) || !shipsLiteral(s)) continue;
        reported.add(s.startIndex);
        out.push({
          start: s.startIndex,
          end: s.endIndex,
          message: `Tool metadata rewritten inside a tool handler, so it changes after the first call: ${firstLine(s.text)}`,
        });
      }
    }

    // Time-delayed rewrites: a timer whose callback rewrites tool metadata.
    // A callee's text is part of the document: without the timer's name in it, no call can be a timer.
    const timerCalls =
      lang === 'js'
        ? !/setTimeout|setInterval/.test(ctx.text)
          ? []
          : index
              .of('call_expression')
              .filter((c) => /^(?:setTimeout|setInterval)$/.test(c?.childForFieldName('function')?.text ?? ''))
        : !/Timer|call_later|call_at/.test(ctx.text)
          ? []
          : index
              .of('call')
              .filter((c) =>
                /(?:^|\.)(?:Timer|call_later|call_at)$/.test(c?.childForFieldName('function')?.text ?? ''),
              );
    for (const t of timerCalls) {
      if (!t) continue;
      for (const s of switches(t, lang, index)) {
        if (reported.has(s.startIndex) || /sendToolListChanged|send_tool_list_changed|list_changed/.test(s.text))
          continue;
        reported.add(s.startIndex);
        out.push({
          start: s.startIndex,
          end: s.endIndex,
          message: `Tool metadata rewritten on a timer: ${firstLine(s.text)}`,
        });
      }
    }
    // Python: a function that sleeps and then rewrites a description.
    if (lang === 'python') {
      for (const f of index.of('function_definition')) {
        if (!f || !/\b(?:asyncio|time)\.sleep\(/.test(f.text)) continue;
        for (const s of switches(f, lang, index)) {
          if (reported.has(s.startIndex) || /list_changed/.test(s.text)) continue;
          reported.add(s.startIndex);
          out.push({
            start: s.startIndex,
            end: s.endIndex,
            message: `Tool metadata rewritten after a delay: ${firstLine(s.text)}`,
          });
        }
      }
    }
    return out;
  },
  positive: rugPullPositive,
  negative: rugPullNegative,
};

/** The first line of a snippet, shortened, for messages. */
function firstLine(s: string): string {
  const l = s.split('\n')[0]!.trim();
  return l.length > 80 ? l.slice(0, 79) + '…' : l;
}
