import { CAPABILITIES, type Capability } from '../../../shared/capabilities';
import type { DetectContext, ForeignLocation, Hop, Span, ToolReach } from '../../core/rule';
import { stripQuotes } from '../ast';
import { mcpMetadataOf, type McpEntity } from '../mcp/extract';
import { serverKey } from '../mcp/toolHash';
import type { TSNode } from '../parse';
import { codeFactsOf } from '../sinks/facts';
import { functionsOf } from '../summary/extract';
import { taintAtSink } from '../taint';
import { capabilitySites, type CapabilitySite } from './classify';
import { branchOf, nodesWithin, reachFrom, sameFileResolver, type CallResolver } from './reach';

export type { CallResolver } from './reach';
export type { CapabilitySite } from './classify';

/**
 * The capability inventory of one document: for every MCP tool whose handler is in the document (registered tools
 * and the tools a low-level CallTool handler dispatches by name), what its code can do and whether a tool argument
 * controls it. The handler body counts, plus the functions it calls, followed by the `CallResolver` (same-file by
 * default, see reach.ts). Pure and memoised per document like every analysis.
 */

/** A tool argument that controls a capability. */
export interface Control {
  /** The argument's name, when known. */
  param?: string;
  /** Where the argument is declared (schema key or handler parameter). */
  span: Span;
}

/** One use of a capability by one tool. */
export interface CapabilityUse {
  /** The capability. */
  capability: Capability;
  /** The API that exercises it. */
  api: string;
  /** Where it is exercised (the callee of the call, or the environment read). */
  span: Span;
  /** The functions called on the way from the handler, when the use is not in the handler itself. */
  via: string[];
  /** The tool argument that controls it, when one does. */
  control?: Control;
}

/** A tool and what its code can do. */
export interface ToolCapabilities {
  /** The tool's name. */
  tool: string;
  /** The server it belongs to: its declared name, else the document's path. */
  server: string;
  /** Where the tool is registered (its name in the registration, else the registration's start). */
  registration: Span;
  /** Its description texts (for the trifecta's classification). */
  descriptions: string[];
  /** Its declared parameter names. */
  params: string[];
  /** Uses, one per (capability, site), in capability order then document order. */
  uses: CapabilityUse[];
  /**
   * For a tool registered in another file whose handler reaches functions of this one (`WorkspaceFacts.toolReach`):
   * the registration there. `registration` is then the start of the first reached function of this document.
   */
  registeredIn?: ForeignLocation;
  /** For such a tool: the calls from its handler into this document (of its first reached function). */
  hops?: Hop[];
}

/** Options of `capabilitiesOf`. */
export interface CapabilityOptions {
  /** Resolves a call to the function it reaches; same-file by name when absent (the seam for a cross-file index). */
  resolveCall?: CallResolver;
}

/** The tools of a document with their capabilities (memoised when called with the default options). */
export function capabilitiesOf(ctx: DetectContext, options: CapabilityOptions = {}): ToolCapabilities[] {
  if (options.resolveCall) return compute(ctx, options.resolveCall);
  return ctx.memo('capabilities:tools', () => compute(ctx, sameFileResolver(ctx)));
}

function compute(ctx: DetectContext, resolve: CallResolver): ToolCapabilities[] {
  const meta = mcpMetadataOf(ctx);
  const facts = codeFactsOf(ctx);
  const reached = ctx.workspace.toolReach?.get(ctx.path) ?? [];
  if (!facts || (meta.entities.length === 0 && meta.dispatchers.length === 0 && reached.length === 0)) return [];
  const sites = capabilitySites(ctx);
  const server = serverKey(meta, ctx.path);
  const tools = new Map<string, ToolCapabilities>();
  const seen = new Set<string>();
  const toolOf = (name: string, e: McpEntity | undefined, fallback: Span): ToolCapabilities => {
    let t = tools.get(name);
    if (!t) {
      const entity = e ?? meta.entities.find((x) => x.kind === 'tool' && x.name?.value === name);
      t = {
        tool: name,
        server,
        registration: registrationSpan(entity) ?? fallback,
        descriptions: entity?.descriptions.map((d) => d.value) ?? [],
        params: entity?.params.map((p) => p.name) ?? [],
        uses: [],
      };
      tools.set(name, t);
    }
    return t;
  };
  const record = (t: ToolCapabilities, site: CapabilitySite, via: string[]) => {
    const owner = t.registeredIn ? `${t.registeredIn.file}\u0000` : '';
    const key = `${owner}${t.tool}\u0000${site.capability}\u0000${site.at.startIndex}`;
    if (seen.has(key)) return;
    seen.add(key);
    t.uses.push({
      capability: site.capability,
      api: site.api,
      span: { start: site.at.startIndex, end: site.at.endIndex },
      via,
      ...controlOf(ctx, site, t.tool),
    });
  };

  // Registered tools (in registration order), each with a handler in this document.
  for (const e of meta.entities) {
    if (e.kind !== 'tool' || !e.name || !e.handler) continue;
    const t = toolOf(e.name.value, e, { start: e.span.start, end: e.span.start });
    for (const r of reachFrom(e.handler, facts, resolve))
      for (const site of nodesWithin(sites, r.fn)) record(t, site, r.path);
  }
  // Tools dispatched by name in a low-level CallTool handler: the branch (`case "run":`) names the tool.
  const registered = new Set(meta.entities.flatMap((e) => (e.kind === 'tool' && e.name ? [e.name.value] : [])));
  for (const d of meta.dispatchers) {
    if (d.kind !== 'tool') continue;
    for (const r of reachFrom(d.handler, facts, resolve)) {
      for (const site of nodesWithin(sites, r.fn)) {
        const anchor = r.entry ?? site.node;
        const name = branchOf(r, site.node, d.handler, registered);
        if (!name) continue;
        record(
          toolOf(name, undefined, caseSpan(anchor, d.handler) ?? { start: d.span.start, end: d.span.start }),
          site,
          r.path,
        );
      }
    }
  }
  foreignTools(ctx, reached, facts, resolve, sites, record, tools);
  for (const t of tools.values()) runsWrittenCode(ctx, t, sites);
  const order = (c: Capability) => CAPABILITIES.indexOf(c);
  // Tools in registration order (a dispatcher's tools come in the order of their `case`s, not of their helpers).
  const out = [...tools.values()].sort((a, b) => a.registration.start - b.registration.start);
  for (const t of out) t.uses.sort((a, b) => order(a.capability) - order(b.capability) || a.span.start - b.span.start);
  return out;
}

/**
 * The tools registered in other files whose handlers reach functions of this document: each reached function is a
 * root, followed like a handler, and its uses are the tool's (keyed apart from a same-named local tool by the file
 * that registers it).
 */
function foreignTools(
  ctx: DetectContext,
  reached: readonly ToolReach[],
  facts: NonNullable<ReturnType<typeof codeFactsOf>>,
  resolve: CallResolver,
  sites: CapabilitySite[],
  record: (t: ToolCapabilities, site: CapabilitySite, via: string[]) => void,
  tools: Map<string, ToolCapabilities>,
): void {
  if (reached.length === 0) return;
  const fns = functionsOf(ctx);
  for (const reach of reached) {
    const f = fns.get(reach.fn);
    if (!f) continue;
    const key = `${reach.registration.file}\u0000${reach.tool}`;
    let t = tools.get(key);
    if (!t) {
      t = {
        tool: reach.tool,
        server: reach.server,
        registration: { start: f.node.startIndex, end: f.node.startIndex },
        descriptions: [],
        params: [],
        uses: [],
        registeredIn: reach.registration,
        hops: reach.hops,
      };
      tools.set(key, t);
    }
    for (const r of reachFrom(f.node, facts, resolve))
      for (const site of nodesWithin(sites, r.fn)) record(t, site, [...reach.path, ...r.path]);
  }
  // A tool whose reached functions exercise nothing is not listed: it is the registering file's tool.
  for (const [k, t] of tools) if (t.registeredIn && t.uses.length === 0) tools.delete(k);
}

/**
 * A tool that writes an argument to a file and runs a program evaluates code, even without `eval`: the code-runner
 * idiom (`writeFile(tmp, code)` then `exec(\`python ${tmp}\`)`). Each of its shell and process uses also counts as
 * code evaluation, controlled by the argument that was written.
 */
function runsWrittenCode(ctx: DetectContext, t: ToolCapabilities, sites: CapabilitySite[]): void {
  const runs = t.uses.filter((u) => u.capability === 'shell' || u.capability === 'process');
  if (runs.length === 0) return;
  let written: Control | undefined;
  for (const u of t.uses) {
    if (u.capability !== 'file-write') continue;
    const site = sites.find((s) => s.at.startIndex === u.span.start && s.capability === 'file-write');
    if (!site?.content) continue;
    const c = controlOf(ctx, { ...site, sink: { ...site.sink, args: [site.content] } }, t.tool).control;
    if (c) {
      written = c;
      break;
    }
  }
  if (!written) return;
  for (const r of runs)
    t.uses.push({
      ...r,
      capability: 'code-eval',
      api: `${r.api} (runs code written from a tool argument)`,
      control: written,
    });
}

/** Whether a tool argument of `tool` reaches the site's sink (through the handler and same-file helpers). */
function controlOf(ctx: DetectContext, site: CapabilitySite, tool: string): { control?: Control } {
  if (site.sink.args.length === 0) return {};
  // The verdict depends on the sink only: tools sharing a helper ask once.
  const cache = ctx.memo('capabilities:verdicts', () => new Map<string, ReturnType<typeof taintAtSink>>());
  const key = `${site.sink.call.id}:${site.sink.family}:${site.sink.args.map((a) => a.id).join(',')}`;
  if (!cache.has(key)) cache.set(key, taintAtSink(ctx, site.sink));
  const verdict = cache.get(key);
  if (!verdict || !('hit' in verdict)) return {};
  const src = verdict.hit.source;
  if (src.kind !== 'tool' || (src.tool !== undefined && src.tool !== tool)) return {};
  return { control: { ...(src.param ? { param: src.param } : {}), span: src.span } };
}

/** The tool's name in its registration, else the registration's first character. */
function registrationSpan(e: McpEntity | undefined): Span | undefined {
  if (!e) return undefined;
  return e.name ? { start: e.name.start, end: e.name.end } : { start: e.span.start, end: e.span.start };
}

/** The string of the `case "x":` (or `if name == "x"`) that dispatches to a node, for a tool listed nowhere else. */
function caseSpan(node: TSNode, fn: TSNode): Span | undefined {
  for (let n: TSNode | null = node; n && n.id !== fn.id; n = n.parent) {
    const v = n.type === 'switch_case' ? n.childForFieldName('value') : undefined;
    if (v?.type === 'string') {
      const q = stripQuotes(v.text).length < v.text.length ? 1 : 0;
      return { start: v.startIndex + q, end: v.endIndex - q };
    }
  }
  return undefined;
}
