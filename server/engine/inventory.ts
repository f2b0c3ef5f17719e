/**
 * The tool inventory of a workspace (`mcp-sentinel tools`): every MCP tool per server, where it is registered, and
 * what its code can do (server/analysis/capabilities). Built from the files like the pin file (engine/pins.ts), on
 * the calling thread: it needs parse trees, so `initParsers()` must have completed. Names are masked like every
 * name a report prints (a token used as a tool name is never written whole).
 */
import { CAPABILITIES, type Capability } from '../../shared/capabilities';
import { capabilitiesOf, type ToolCapabilities } from '../analysis/capabilities';
import { trifectaOf } from '../analysis/capabilities/trifecta';
import { mcpMetadataOf } from '../analysis/mcp/extract';
import { serverKey } from '../analysis/mcp/toolHash';
import { createDetectContext } from '../core/context';
import { classifyPath } from '../core/fileKinds';
import { compareStrings } from '../core/order';
import { regexBackend } from '../core/regex';
import type { Span } from '../core/rule';
import type { LineIndex } from '../core/text';
import { maskedName } from '../rules/secretDetector';
import { collectWorkspaceFacts } from './facts';

/** A place in a file, 1-based like the JSON report. */
export interface InventoryLocation {
  /** Path relative to the root, forward slashes. */
  file: string;
  /** 1-based line. */
  line: number;
  /** 1-based column (UTF-16 code units). */
  column: number;
}

/** One call that exercises a capability. */
export interface InventorySite extends InventoryLocation {
  /** The API (`child_process.exec`, `fs.promises.readFile`). */
  api: string;
  /** The tool argument that controls it, when one does (`null` when an argument does but its name is unknown). */
  argument?: string | null;
  /** The functions called on the way from the handler. */
  via?: string[];
}

/** One capability of a tool. */
export interface InventoryCapability {
  /** The capability. */
  capability: Capability;
  /** True when a tool argument controls at least one of its sites. */
  argumentControlled: boolean;
  /** Where it is exercised. */
  sites: InventorySite[];
}

/** One tool. */
export interface InventoryTool {
  /** Its name. */
  name: string;
  /** Where it is registered. */
  registration: InventoryLocation;
  /**
   * True when its handler is in the same file (a registered handler, or a CallTool dispatcher next to the list);
   * false for a tool listed here whose code is elsewhere (its capabilities then come from the files it reaches).
   */
  handlerFound: boolean;
  /** What its code can do, in the inventory's order (`CAPABILITIES`). */
  capabilities: InventoryCapability[];
}

/** One server: its declared name, else the file that defines its tools. */
export interface InventoryServer {
  /** The server's name. */
  name: string;
  /** Its tools, in file then registration order. */
  tools: InventoryTool[];
  /** The lethal trifecta of one of its files, when there is one: the three tools' names. */
  trifecta?: { private: string; untrusted: string; outward: string };
}

/** The inventory: servers sorted by name. */
export interface ToolInventory {
  /** The servers with at least one tool. */
  servers: InventoryServer[];
}

/**
 * Builds the inventory of a workspace's files (paths relative to the root). Requires `initParsers()`. The workspace
 * facts are collected first, as a scan does, so a tool whose handler calls into another module shows what that
 * module's code does: its uses there are listed under the tool, in the file that registers it.
 */
export function buildInventory(files: readonly { file: string; text: string }[]): ToolInventory {
  const sorted = [...files].sort((a, b) => compareStrings(a.file, b.file));
  const { facts } = collectWorkspaceFacts(regexBackend(), sorted);
  const servers = new Map<string, InventoryServer>();
  // Tools by registering file and name, and the uses other files add to them once every file is read.
  const byRegistration = new Map<string, InventoryTool>();
  const foreign: { key: string; capabilities: InventoryCapability[] }[] = [];
  for (const { file, text } of sorted) {
    const kind = classifyPath(file);
    if (kind !== 'js' && kind !== 'python' && kind !== 'json') continue;
    const { ctx, dispose } = createDetectContext(regexBackend(), file, text, kind, facts);
    try {
      const meta = mcpMetadataOf(ctx);
      const loc = (s: Span): InventoryLocation => location(file, ctx.lines, s.start);
      const tools = new Map<string, InventoryTool>();
      for (const t of kind === 'json' ? [] : capabilitiesOf(ctx)) {
        const capabilities = capabilitiesOfTool(t, loc);
        if (t.registeredIn) {
          foreign.push({ key: `${t.registeredIn.file}\u0000${t.tool}`, capabilities });
          continue;
        }
        tools.set(t.tool, {
          name: maskedName(t.tool),
          registration: loc(t.registration),
          handlerFound: true,
          capabilities,
        });
      }
      // Tools registered here whose handler is elsewhere (a tools/list answer, a JSON list) are listed too; a tool
      // listed next to a CallTool dispatcher has its handler here, even when the dispatcher reached no capability.
      const dispatched = meta.dispatchers.some((d) => d.kind === 'tool');
      for (const e of meta.entities) {
        if (e.kind !== 'tool' || !e.name || tools.has(e.name.value)) continue;
        tools.set(e.name.value, {
          name: maskedName(e.name.value),
          registration: loc(e.name),
          handlerFound: !!e.handler || (dispatched && e.api === 'list'),
          capabilities: [],
        });
      }
      if (tools.size === 0) continue;
      for (const [name, t] of tools) byRegistration.set(`${file}\u0000${name}`, t);
      const name = maskedName(serverKey(meta, file));
      let server = servers.get(name);
      if (!server) servers.set(name, (server = { name, tools: [] }));
      for (const x of [...tools.values()].sort((a, b) => a.registration.line - b.registration.line))
        server.tools.push(x);
      const t = kind === 'json' ? undefined : trifectaOf(ctx);
      if (t && !server.trifecta)
        server.trifecta = {
          private: maskedName(t.private.tool),
          untrusted: maskedName(t.untrusted.tool),
          outward: maskedName(t.outward.tool),
        };
    } finally {
      dispose();
    }
  }
  for (const f of foreign) {
    const tool = byRegistration.get(f.key);
    if (tool) tool.capabilities = mergeCapabilities(tool.capabilities, f.capabilities);
  }
  return { servers: [...servers.values()].sort((a, b) => compareStrings(a.name, b.name)) };
}

/** A tool's uses grouped by capability, in the inventory's order. */
function capabilitiesOfTool(t: ToolCapabilities, loc: (s: Span) => InventoryLocation): InventoryCapability[] {
  const byCap = new Map<Capability, InventoryCapability>();
  for (const u of t.uses) {
    let c = byCap.get(u.capability);
    if (!c) byCap.set(u.capability, (c = { capability: u.capability, argumentControlled: false, sites: [] }));
    const argument = u.control ? (u.control.param ? maskedName(u.control.param) : null) : undefined;
    if (u.control) c.argumentControlled = true;
    c.sites.push({
      ...loc(u.span),
      api: u.api,
      ...(argument !== undefined ? { argument } : {}),
      ...(u.via.length ? { via: u.via } : {}),
    });
  }
  return CAPABILITIES.flatMap((c) => byCap.get(c) ?? []);
}

/** Two capability lists of one tool merged: sites appended (files come in path order), in the inventory's order. */
function mergeCapabilities(a: InventoryCapability[], b: InventoryCapability[]): InventoryCapability[] {
  const byCap = new Map<Capability, InventoryCapability>();
  for (const c of [...a, ...b]) {
    const x = byCap.get(c.capability);
    if (!x) byCap.set(c.capability, { ...c, sites: [...c.sites] });
    else {
      x.argumentControlled ||= c.argumentControlled;
      x.sites.push(...c.sites);
    }
  }
  return CAPABILITIES.flatMap((c) => byCap.get(c) ?? []);
}

function location(file: string, lines: LineIndex, offset: number): InventoryLocation {
  const p = lines.positionAt(offset);
  return { file, line: p.line + 1, column: p.character + 1 };
}
