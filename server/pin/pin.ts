import { createHash } from 'node:crypto';
import { mcpMetadataOf } from '../analysis/mcp/extract';
import type { McpEntity, McpMetadata } from '../analysis/mcp/types';
import { createDetectContext } from '../core/context';
import { classifyPath } from '../core/fileKinds';
import { regexBackend } from '../core/regex';

/**
 * The tool-definition lock file (`mcp-sentinel pin`, `.mcp-sentinel/pins.json`): a SHA-256 of every tool's
 * name, descriptions and input schema, so a later scan can tell when a definition changed under the user
 * ("rug pull") or a pinned tool disappeared. Building pins needs parse trees: await `initParsers()` first.
 */

/** The lock-file format version this module writes and reads. */
export const PIN_VERSION = 1;

/** Where the CLI and the editor look for the lock file, relative to the workspace root. */
export const PIN_FILE_PATH = '.mcp-sentinel/pins.json';

/** One pinned tool. */
export interface PinnedTool {
  /** Lower-case hex SHA-256 of the tool's canonical definition (see `canonicalDefinition`). */
  sha256: string;
  /** The file that defined it, relative to the scan root, forward slashes. */
  file: string;
}

/** The pins of one server (or, when a file declares no server name, of one file). */
export interface PinnedServer {
  /** Pinned tools by name. */
  tools: Record<string, PinnedTool>;
}

/** The lock file. */
export interface PinFile {
  /** Format version; always 1 for now. */
  version: 1;
  /** Servers by name (the declared server name, else the defining file's path). */
  servers: Record<string, PinnedServer>;
}

/** Collapses whitespace so re-indenting a schema is not a change of definition. */
function normaliseSource(s: string): string {
  return s.replace(/\s+/g, ' ').trim();
}

/**
 * The canonical JSON text hashed for a tool: its name, its description texts (decoded, in order), its parameters
 * with their descriptions, and the whitespace-normalised source of its input schema. Keys are in a fixed order.
 */
export function canonicalDefinition(e: McpEntity, text: string): string {
  return JSON.stringify({
    name: e.name?.value ?? '',
    description: e.descriptions.map((d) => d.value),
    params: e.params.map((p) => [p.name, p.description?.value ?? null]),
    inputSchema: e.schemaSpan ? normaliseSource(text.slice(e.schemaSpan.start, e.schemaSpan.end)) : null,
  });
}

/** The SHA-256 (hex) of a tool's canonical definition. */
export function toolHash(e: McpEntity, text: string): string {
  return createHash('sha256').update(canonicalDefinition(e, text)).digest('hex');
}

/** The key a file's tools are pinned under: its first declared server name, else its path. */
export function serverKey(meta: McpMetadata, file: string): string {
  return meta.serverNames[0]?.value || file;
}

/** The tools defined by one file, with their hashes. Requires `initParsers()` to have completed. */
export function pinsOfFile(file: string, text: string): { server: string; tools: Map<string, PinnedTool> } | undefined {
  const kind = classifyPath(file);
  if (kind !== 'js' && kind !== 'python' && kind !== 'json') return undefined;
  const { ctx, dispose } = createDetectContext(regexBackend(), file, text, kind);
  try {
    const meta = mcpMetadataOf(ctx);
    const tools = new Map<string, PinnedTool>();
    for (const e of meta.entities) {
      if (e.kind !== 'tool' || !e.name) continue;
      tools.set(e.name.value, { sha256: toolHash(e, text), file });
    }
    return { server: serverKey(meta, file), tools };
  } finally {
    dispose();
  }
}

/**
 * Builds the lock file from the files of a workspace (paths relative to the root, forward slashes). Files that
 * define no tool are left out. Requires `initParsers()` to have completed.
 */
export function buildPins(files: readonly { file: string; text: string }[]): PinFile {
  const servers: Record<string, PinnedServer> = {};
  for (const { file, text } of [...files].sort((a, b) => (a.file < b.file ? -1 : a.file > b.file ? 1 : 0))) {
    const pins = pinsOfFile(file, text);
    if (!pins || pins.tools.size === 0) continue;
    const server = (servers[pins.server] ??= { tools: {} });
    for (const [name, pin] of pins.tools) if (!server.tools[name]) server.tools[name] = pin;
  }
  return { version: 1, servers };
}

/** Serialises a lock file deterministically (sorted keys, two-space indent, final newline) for clean diffs. */
export function serializePins(pins: PinFile): string {
  const servers: Record<string, PinnedServer> = {};
  for (const s of Object.keys(pins.servers).sort()) {
    const tools: Record<string, PinnedTool> = {};
    for (const t of Object.keys(pins.servers[s]!.tools).sort()) {
      const p = pins.servers[s]!.tools[t]!;
      tools[t] = { sha256: p.sha256, file: p.file };
    }
    servers[s] = { tools };
  }
  return JSON.stringify({ version: PIN_VERSION, servers }, null, 2) + '\n';
}

/** Checks that a parsed value is a lock file; returns it typed, or throws an Error that names the problem. */
export function validatePins(value: unknown): PinFile {
  const fail = (why: string): never => {
    throw new Error(`invalid pin file: ${why}`);
  };
  const isObj = (v: unknown): v is Record<string, unknown> => typeof v === 'object' && v !== null && !Array.isArray(v);
  if (!isObj(value)) fail('the top level must be an object');
  const v = value as Record<string, unknown>;
  if (v.version !== PIN_VERSION) fail(`unsupported version ${JSON.stringify(v.version)} (expected ${PIN_VERSION})`);
  if (!isObj(v.servers)) fail('"servers" must be an object');
  for (const [s, server] of Object.entries(v.servers as Record<string, unknown>)) {
    if (!isObj(server) || !isObj(server.tools)) fail(`server "${s}" must have a "tools" object`);
    for (const [t, pin] of Object.entries((server as { tools: Record<string, unknown> }).tools)) {
      if (!isObj(pin)) fail(`tool "${t}" of server "${s}" must be an object`);
      const p = pin as Record<string, unknown>;
      if (typeof p.sha256 !== 'string' || !/^[0-9a-f]{64}$/.test(p.sha256))
        fail(`tool "${t}" of server "${s}" has no valid "sha256"`);
      if (typeof p.file !== 'string' || p.file === '') fail(`tool "${t}" of server "${s}" has no "file"`);
    }
  }
  return value as PinFile;
}

/** Parses and validates the text of a lock file; throws an Error naming the problem (bad JSON or bad shape). */
export function parsePinFile(text: string): PinFile {
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch (e) {
    throw new Error(`invalid pin file: ${e instanceof Error ? e.message : String(e)}`);
  }
  return validatePins(value);
}

/** Pins indexed by file, per lock-file object (the workspace holds one parsed object for a whole scan). */
const byFileCache = new WeakMap<object, Map<string, Map<string, PinnedTool & { server: string }>>>();

/** The pins recorded for one file, by tool name (across servers), from `ctx.workspace.pins` when it is valid. */
export function pinsForFile(pins: unknown, file: string): Map<string, PinnedTool & { server: string }> {
  if (typeof pins !== 'object' || pins === null) return new Map();
  let index = byFileCache.get(pins);
  if (!index) {
    index = new Map();
    let valid: PinFile | undefined;
    try {
      valid = validatePins(pins);
    } catch {
      // An invalid lock file is reported by whoever loads it (the CLI or the server); here it pins nothing.
    }
    for (const [server, s] of Object.entries(valid?.servers ?? {})) {
      for (const [name, pin] of Object.entries(s.tools)) {
        let m = index.get(pin.file);
        if (!m) index.set(pin.file, (m = new Map()));
        if (!m.has(name)) m.set(name, { ...pin, server });
      }
    }
    byFileCache.set(pins, index);
  }
  return index.get(file) ?? new Map();
}
