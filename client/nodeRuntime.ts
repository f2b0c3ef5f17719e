/**
 * Finds a Node.js >= 20.19 to run the language server with, so the native re2 addon loads (it is built for Node's ABI
 * and cannot load in VS Code's Electron runtime). No `vscode` import: the search is unit-tested with fake probes.
 */
import { execFileSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { delimiter, join } from 'node:path';

/**
 * The oldest Node.js the server supports: package.json's `engines.node` floor (20.19.0), the oldest release every
 * bundled dependency supports. Earlier 20.x releases are refused rather than started into a server that may fail.
 */
export const MIN_NODE_VERSION: readonly [number, number] = [20, 19];
const MIN_NODE_TEXT = MIN_NODE_VERSION.join('.');

/** A usable node executable. */
export interface NodeRuntime {
  /** Absolute path of the executable. */
  path: string;
  /** Its version without the leading `v`, e.g. "20.20.2". */
  version: string;
}

/** Ways to look at the machine, injectable for tests. */
export interface NodeProbe {
  /** True when a file exists. */
  exists(path: string): boolean;
  /** Runs `<path> --version` and returns its output, or undefined when it fails. */
  version(path: string): string | undefined;
}

/** The real probe: the file system and a short-lived child process (2 s timeout). */
export const realProbe: NodeProbe = {
  exists: (p) => existsSync(p),
  version: (p) => {
    try {
      return execFileSync(p, ['--version'], { encoding: 'utf8', timeout: 2000, windowsHide: true }).trim();
    } catch {
      return undefined;
    }
  },
};

/** Parses `v20.11.1` into its major number, or undefined. */
export function nodeMajor(version: string): number | undefined {
  const m = /^v?(\d+)\.\d+\.\d+/.exec(version.trim());
  return m ? Number(m[1]) : undefined;
}

/** True when a `node --version` output (`v20.19.0`) is at least MIN_NODE_VERSION; false for anything unparsable. */
export function meetsNodeFloor(version: string): boolean {
  const m = /^v?(\d+)\.(\d+)\.\d+/.exec(version.trim());
  if (!m) return false;
  const [major, minor] = [Number(m[1]), Number(m[2])];
  return major > MIN_NODE_VERSION[0] || (major === MIN_NODE_VERSION[0] && minor >= MIN_NODE_VERSION[1]);
}

/**
 * The node to use: the configured path when set (and only it: a wrong setting should be visible, not silently
 * replaced), else the first `node` on PATH that is at least MIN_NODE_VERSION. Undefined when there is none.
 */
export function findNode(options: {
  configuredPath?: string;
  pathEnv?: string;
  platform?: NodeJS.Platform;
  probe?: NodeProbe;
}): NodeRuntime | undefined {
  const probe = options.probe ?? realProbe;
  const exe = (options.platform ?? process.platform) === 'win32' ? 'node.exe' : 'node';
  const candidates = options.configuredPath
    ? [options.configuredPath]
    : (options.pathEnv ?? '')
        .split(delimiter)
        .filter(Boolean)
        .map((dir) => join(dir, exe));
  for (const c of candidates) {
    if (!probe.exists(c)) continue;
    const out = probe.version(c);
    if (out && meetsNodeFloor(out)) return { path: c, version: out.trim().replace(/^v/, '') };
  }
  return undefined;
}

/** How the client should start the server. */
export type LaunchPlan = { kind: 'node'; node: NodeRuntime; reason: string } | { kind: 'vscode'; reason: string };

/**
 * Decides the server runtime from the `mcpSentinel.server.runtime` setting and what was found: `node` prefers the
 * user's node and falls back (with a reason) when none is usable; `vscode` always uses the editor's runtime.
 */
export function planLaunch(runtime: 'auto' | 'node' | 'vscode', node: NodeRuntime | undefined): LaunchPlan {
  if (runtime === 'vscode') return { kind: 'vscode', reason: 'mcpSentinel.server.runtime is "vscode"' };
  if (node) return { kind: 'node', node, reason: `found node ${node.version} at ${node.path}` };
  return {
    kind: 'vscode',
    reason:
      runtime === 'node'
        ? `mcpSentinel.server.runtime is "node" but no node >= ${MIN_NODE_TEXT} was found; using the editor's runtime`
        : `no node >= ${MIN_NODE_TEXT} on PATH`,
  };
}
