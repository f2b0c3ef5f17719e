/**
 * The tool-definition lock file, `.mcp-sentinel/pins.json`: its format, reader, writer and loader. `mcp-sentinel
 * pin` writes a SHA-256 of every tool's definition (server/analysis/mcp/toolHash.ts hashes it, server/engine/pins.ts
 * builds the file), so a later scan can tell when a definition changed under the user ("rug pull") or a pinned
 * tool disappeared. A valid file is indexed once, here, into the `PinIndex` the drift rule reads.
 */
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { getNodeValue, type Node } from 'jsonc-parser';
import { PIN_FILE } from '../../shared/projectFiles';
import type { PinIndex, PinnedToolFact } from '../core/rule';
import { ErrorSink, parseProjectJson, readProjectFile, type JsonSyntax, type Property } from './jsonCheck';
import type { ConfigError } from './types';

/** The lock-file format version this module writes and reads. */
export const PIN_VERSION = 1;

/** One pinned tool. */
export interface PinnedTool {
  /** Lower-case hex SHA-256 of the tool's canonical definition (see `canonicalDefinition` in toolHash.ts). */
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

// Every message names the file and says how to repair it: the lock file is generated, so regenerating it is the fix.
const problem = (why: string) => `invalid pin file: ${why} (rewrite it with "mcp-sentinel pin")`;

/** The lock file's syntax: strict JSON, as the tool writes it; one syntax error is enough to regenerate it. */
const PIN_SYNTAX: JsonSyntax = {
  jsonc: false,
  allowEmpty: false,
  firstErrorOnly: true,
  message: (words) => problem(`JSON syntax error: ${words}`),
};

/** A parsed lock file, or the problems that make it unusable. */
export interface ParsedPins {
  /** The lock file, when the text is valid. */
  pins?: PinFile;
  /** Every problem, with its position in the file (an empty list when the text is valid). */
  errors: ConfigError[];
}

/**
 * The properties of an object node as JSON.parse reads them: a repeated name keeps its first place and its last
 * value. Lock files that loaded before this reader existed (it replaced a JSON.parse) still load the same.
 */
function lastWins(node: Node): Map<string, Property> {
  const out = new Map<string, Property>();
  for (const p of node.children ?? []) {
    const keyNode = p.children?.[0];
    const value = p.children?.[1];
    if (keyNode && value) out.set(String(keyNode.value), { keyNode, key: String(keyNode.value), value });
  }
  return out;
}

/**
 * Parses and validates the text of a lock file; `file` is the absolute path the errors name. Each problem is
 * reported at the value that breaks the format (or at the key, for a missing value), so the editor can underline
 * it. An unknown version stops the check: the rest of such a file cannot be read as version 1.
 */
export function parsePins(text: string, file: string): ParsedPins {
  const sink = new ErrorSink(file, text);
  const root = parseProjectJson(sink, PIN_SYNTAX);
  if (!root) return { errors: sink.errors };
  if (root.type !== 'object') {
    sink.on(root, problem('the top level must be an object'));
    return { errors: sink.errors };
  }
  const top = lastWins(root);
  const version = top.get('version')?.value;
  if (version?.value !== PIN_VERSION) {
    const found = version ? JSON.stringify(getNodeValue(version)) : 'undefined';
    sink.on(version ?? root, problem(`unsupported version ${found} (expected ${PIN_VERSION})`));
    return { errors: sink.errors };
  }
  const serversNode = top.get('servers')?.value;
  if (serversNode?.type !== 'object') {
    sink.on(serversNode ?? root, problem('"servers" must be an object'));
    return { errors: sink.errors };
  }
  const servers: [string, PinnedServer][] = [];
  for (const [s, server] of lastWins(serversNode)) {
    const toolsNode = server.value.type === 'object' ? lastWins(server.value).get('tools')?.value : undefined;
    if (toolsNode?.type !== 'object') {
      sink.on(toolsNode ?? server.value, problem(`server "${s}" must have a "tools" object`));
      continue;
    }
    const tools: [string, PinnedTool][] = [];
    for (const [t, pin] of lastWins(toolsNode)) {
      const tool = pinnedTool(pin, `tool "${t}" of server "${s}"`, sink);
      if (tool) tools.push([t, tool]);
    }
    servers.push([s, { tools: Object.fromEntries(tools) }]);
  }
  if (sink.errors.length) return { errors: sink.errors };
  // Object.fromEntries defines own properties, as JSON.parse does, even for a name such as "__proto__".
  return { pins: { version: PIN_VERSION, servers: Object.fromEntries(servers) }, errors: [] };
}

/** Validates one tool's pin (`what` names it in messages). */
function pinnedTool(pin: Property, what: string, sink: ErrorSink): PinnedTool | undefined {
  if (pin.value.type !== 'object') {
    sink.on(pin.value, problem(`${what} must be an object`));
    return undefined;
  }
  const props = lastWins(pin.value);
  const sha256 = props.get('sha256')?.value;
  const file = props.get('file')?.value;
  let ok = true;
  if (sha256?.type !== 'string' || !/^[0-9a-f]{64}$/.test(sha256.value as string)) {
    sink.on(sha256 ?? pin.keyNode, problem(`${what} has no valid "sha256"`));
    ok = false;
  }
  if (file?.type !== 'string' || file.value === '') {
    sink.on(file ?? pin.keyNode, problem(`${what} has no "file"`));
    ok = false;
  }
  return ok ? { sha256: sha256!.value as string, file: file!.value as string } : undefined;
}

/**
 * The lock file indexed by file, for the drift rule: servers and tools in file order, and when two servers pin a
 * tool of the same name for the same file, the first one counts.
 */
export function indexPins(pins: PinFile): PinIndex {
  const index = new Map<string, Map<string, PinnedToolFact>>();
  for (const [server, s] of Object.entries(pins.servers)) {
    for (const [name, pin] of Object.entries(s.tools)) {
      let tools = index.get(pin.file);
      if (!tools) index.set(pin.file, (tools = new Map()));
      if (!tools.has(name)) tools.set(name, { sha256: pin.sha256, server });
    }
  }
  return index;
}

/** The outcome of loading the lock file of a project root. */
export interface LoadedPins {
  /** Absolute path of the lock file, when it exists. */
  file?: string;
  /** The validated lock file, indexed for the drift rule, when it exists and is valid. */
  pins?: PinIndex;
  /** Problems in the lock file (empty when there is none or it is valid). */
  errors: ConfigError[];
}

/** Loads `<root>/.mcp-sentinel/pins.json` when it exists. */
export function loadPins(root: string): LoadedPins {
  const file = join(root, ...PIN_FILE.split('/'));
  if (!existsSync(file)) return { errors: [] };
  const errors: ConfigError[] = [];
  const text = readProjectFile(file, errors, 'the pin file');
  if (text === undefined) return { file, errors };
  const parsed = parsePins(text, file);
  return parsed.pins ? { file, pins: indexPins(parsed.pins), errors } : { file, errors: parsed.errors };
}
