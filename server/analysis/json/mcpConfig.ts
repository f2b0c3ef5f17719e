// One reader for every MCP client config shape, so each config rule sees the same server entries with the same
// offsets. Client differences that matter to rules (where `${input:…}` inputs live, which variable syntax the
// client expands) are decided here once.
import type { DetectContext, Span } from '../../core/rule';
import {
  jsonDoc,
  nodeAt,
  jsonProperties,
  propValue,
  stringOf,
  type JSONPath,
  type JsonString,
  type Node,
} from './jsonc';

/** Which MCP client reads the file, as far as the path tells. */
export type McpClient =
  /** VS Code's `.vscode/mcp.json` (or a user-profile `mcp.json` with a `servers` key). */
  | 'vscode'
  /** VS Code `settings.json` or a `.code-workspace` file. */
  | 'vscode-settings'
  /** Cursor's `.cursor/mcp.json`. */
  | 'cursor'
  /** Claude Code's project `.mcp.json`. */
  | 'claude-code'
  /** Claude Desktop's `claude_desktop_config.json`. */
  | 'claude-desktop'
  /** Windsurf's `mcp_config.json`. */
  | 'windsurf'
  /** Cline / Roo Code settings (`cline_mcp_settings.json`, `mcp_settings.json`). */
  | 'cline'
  /** Any other file in the `mcpServers` shape. */
  | 'generic';

/** A key with its string value, from `env` or `headers`. */
export interface McpKeyValue {
  /** The key (for example an environment variable name). */
  key: string;
  /** The key's string node, for findings on the key. */
  keySpan: JsonString;
  /** The value when it is a string (numbers and booleans are not secrets and not paths). */
  value?: JsonString;
}

/** One configured MCP server with typed accessors and exact spans. */
export interface McpServerEntry {
  /** The client that reads this file. */
  client: McpClient;
  /** The server's name (its key in the servers object). */
  name: JsonString;
  /** The server object node. */
  node: Node;
  /** `type` (stdio, http, sse), when given. */
  type?: JsonString;
  /** `command`, when given as a string. */
  command?: JsonString;
  /** String elements of `args`, in order (non-string elements are skipped). */
  args: JsonString[];
  /** Entries of `env`. */
  env: McpKeyValue[];
  /** Entries of `headers` (remote servers). */
  headers: McpKeyValue[];
  /** `url` or Windsurf's `serverUrl`. */
  url?: JsonString;
  /** Tool names in `alwaysAllow` / `autoApprove` lists (Cline, Roo Code, Windsurf-style clients). */
  autoApproved: JsonString[];
  /**
   * Where VS Code-style `inputs` belong for this entry (a JSON path to the object that should hold `inputs`), or
   * undefined when the client has no inputs.
   */
  inputsOwner?: JSONPath;
}

/** Every server entry in a config document, memoised per document. */
export function mcpServers(ctx: DetectContext): McpServerEntry[] {
  return ctx.memo('json:mcp-servers', () => {
    const root = jsonDoc(ctx).root;
    const out: McpServerEntry[] = [];
    for (const c of containersOf(ctx, root)) {
      for (const { key, value } of jsonProperties(c.node)) {
        const name = stringOf(ctx.text, key);
        if (!name || !value || value.type !== 'object') continue;
        out.push(readEntry(ctx.text, c.client, name, value, c.inputsOwner));
      }
    }
    return out;
  });
}

/** The client a path belongs to. */
export function clientOf(path: string, root: Node | undefined): McpClient {
  const p = path.replace(/\\/g, '/').toLowerCase();
  const base = p.slice(p.lastIndexOf('/') + 1);
  if (base === 'settings.json' || base.endsWith('.code-workspace')) return 'vscode-settings';
  if (p.endsWith('.vscode/mcp.json')) return 'vscode';
  if (p.endsWith('.cursor/mcp.json')) return 'cursor';
  if (base === '.mcp.json') return 'claude-code';
  if (base === 'claude_desktop_config.json') return 'claude-desktop';
  if (base === 'mcp_config.json') return 'windsurf';
  if (base === 'cline_mcp_settings.json' || base === 'mcp_settings.json') return 'cline';
  // A bare mcp.json (a VS Code user profile, or a copy) is VS Code's shape when it has `servers`.
  if (propValue(root, 'servers')) return 'vscode';
  return 'generic';
}

interface Container {
  client: McpClient;
  node: Node;
  inputsOwner?: JSONPath;
}

/** The objects that hold server entries, with where their inputs go. */
function containersOf(ctx: DetectContext, root: Node | undefined): Container[] {
  if (!root || root.type !== 'object') return [];
  const client = clientOf(ctx.path, root);
  const out: Container[] = [];
  const add = (node: Node | undefined, inputsOwner?: JSONPath) => {
    if (node && node.type === 'object') out.push({ client, node, ...(inputsOwner ? { inputsOwner } : {}) });
  };
  if (client === 'vscode-settings') {
    // settings.json: "mcp": { "servers", "inputs" } or the flat key "mcp.servers"; a workspace file nests both
    // under "settings". The flat form has no object to hold inputs next to it, so it gets no inputs owner.
    for (const prefix of [[], ['settings']] as JSONPath[]) {
      add(nodeAt(root, [...prefix, 'mcp', 'servers']), [...prefix, 'mcp']);
      add(nodeAt(root, [...prefix, 'mcp.servers']));
    }
    return out;
  }
  add(propValue(root, 'servers'), client === 'vscode' ? [] : undefined);
  add(propValue(root, 'mcpServers'));
  return out;
}

function readEntry(
  text: string,
  client: McpClient,
  name: JsonString,
  node: Node,
  inputsOwner: JSONPath | undefined,
): McpServerEntry {
  const str = (k: string) => stringOf(text, propValue(node, k));
  const list = (n: Node | undefined): JsonString[] =>
    n?.type === 'array' ? (n.children ?? []).map((c) => stringOf(text, c)).filter((s): s is JsonString => !!s) : [];
  const kv = (n: Node | undefined): McpKeyValue[] =>
    jsonProperties(n).flatMap(({ key, value }) => {
      const keySpan = stringOf(text, key);
      if (!keySpan) return [];
      const v = stringOf(text, value);
      return [{ key: keySpan.value, keySpan, ...(v ? { value: v } : {}) }];
    });
  const entry: McpServerEntry = {
    client,
    name,
    node,
    args: list(propValue(node, 'args')),
    env: kv(propValue(node, 'env')),
    headers: kv(propValue(node, 'headers')),
    autoApproved: [...list(propValue(node, 'alwaysAllow')), ...list(propValue(node, 'autoApprove'))],
  };
  const type = str('type');
  const command = str('command');
  const url = str('url') ?? str('serverUrl');
  if (type) entry.type = type;
  if (command) entry.command = command;
  if (url) entry.url = url;
  if (inputsOwner) entry.inputsOwner = inputsOwner;
  return entry;
}

/** One word of a server's command line, with its span in the document. */
export interface ArgvToken extends Span {
  /** The word. */
  value: string;
  /** The JSON string it came from (a `command` split on spaces yields several tokens from one string). */
  source: JsonString;
  /** True when this token came from `command`, false for `args`. */
  fromCommand: boolean;
}

/**
 * The server's command line as words: `command` (split on whitespace when it holds a whole command line, as some
 * users write `"command": "npx -y pkg"`) followed by each `args` element as one word, the way the client passes
 * them to the operating system.
 */
export function argvOf(e: McpServerEntry): ArgvToken[] {
  const out: ArgvToken[] = [];
  // Word by word, never push(...spread): a command string can hold more words than a call may take arguments.
  if (e.command) for (const w of splitWords(e.command, true)) out.push(w);
  for (const a of e.args) out.push({ value: a.value, start: a.start, end: a.end, source: a, fromCommand: false });
  return out;
}

/**
 * Splits a string into whitespace-separated words with their spans. Quotes are not interpreted: this is used for
 * commands written as one string and for the scripts given to `sh -c`, where a best-effort split is what a reader
 * would do too. When the string had escapes, every word spans the whole string.
 */
export function splitWords(s: JsonString, fromCommand = false): ArgvToken[] {
  const out: ArgvToken[] = [];
  const v = s.value;
  let i = 0;
  while (i < v.length) {
    while (i < v.length && isSpace(v.charCodeAt(i))) i++;
    const from = i;
    while (i < v.length && !isSpace(v.charCodeAt(i))) i++;
    if (i > from) {
      const span = s.verbatim ? { start: s.start + from, end: s.start + i } : { start: s.start, end: s.end };
      out.push({ value: v.slice(from, i), ...span, source: s, fromCommand });
    }
  }
  return out;
}

/** The program name of a command word: its base name, lower case, without a Windows extension. */
export function programName(word: string): string {
  const base = (word.split('\\').pop() ?? word).split('/').pop() ?? word;
  const lower = base.toLowerCase();
  for (const ext of ['.exe', '.cmd', '.bat', '.ps1']) if (lower.endsWith(ext)) return lower.slice(0, -ext.length);
  return lower;
}

/**
 * True when a value is a reference the client or the shell expands at run time rather than a literal:
 * `${input:x}`, `${env:X}`, `${X}`, `$X`, `%X%`, `{{X}}`.
 */
export function isVariableReference(v: string): boolean {
  const t = v.trim();
  if (t.includes('${') || t.includes('{{')) return true;
  if (t.startsWith('$') && isIdentifier(t.slice(1))) return true;
  return t.length > 2 && t.startsWith('%') && t.endsWith('%') && isIdentifier(t.slice(1, -1));
}

/** True for an environment-variable-like identifier (letters, digits, underscores, not starting with a digit). */
export function isIdentifier(s: string): boolean {
  if (s === '') return false;
  for (let i = 0; i < s.length; i++) {
    const c = s.charCodeAt(i);
    const letter = (c >= 65 && c <= 90) || (c >= 97 && c <= 122) || c === 95;
    if (!letter && !(i > 0 && c >= 48 && c <= 57)) return false;
  }
  return true;
}

function isSpace(c: number): boolean {
  return c === 32 || c === 9 || c === 10 || c === 13;
}
