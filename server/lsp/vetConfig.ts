/**
 * The server entries of an MCP client config that launch a registry package, read with the same config reader and
 * the same launcher parser as the config rules (`npx -y pkg`, `pnpm dlx`, `uvx`, …), so the "Vet package" lens sits
 * exactly on the entries the rules call package launches. Runs on the server's thread: it only parses JSON.
 */
import type { Range } from '../../shared/types';
import { mcpServers } from '../analysis/json/mcpConfig';
import { createDetectContext } from '../core/context';
import { classifyPath } from '../core/fileKinds';
import { regexBackend } from '../core/regex';
import type { Span } from '../core/rule';
import type { LineIndex } from '../core/text';
import { LOCAL_DEV_TOOLS, isLocalOrUrl, launchesOf, unpinnedReason } from '../rules/client-config/launch';

/** One server entry that runs a registry package. */
export interface PackageEntry {
  /** The server's name (its key). */
  server: string;
  /** The range of the server's key, where its lens goes. */
  keyRange: Range;
  /** The range of the package spec as written, where the hover answers. */
  specRange: Range;
  /** The launcher (`npx`, `pnpm dlx`, `uvx`, …). */
  launcher: string;
  /** The package spec as written (`@scope/name@1.2.3`). */
  spec: string;
  /** True when the spec pins an exact version. */
  pinned: boolean;
}

/** True for a file the editor may show vetting lenses on: an MCP client config or VS Code settings with servers. */
export function isConfigPath(file: string): boolean {
  const kind = classifyPath(file);
  return kind === 'mcp-config' || kind === 'vscode-settings';
}

/** The entries of a config document that launch a registry package, in document order. */
export function packageEntries(file: string, text: string): PackageEntry[] {
  const kind = classifyPath(file);
  if (kind !== 'mcp-config' && kind !== 'vscode-settings') return [];
  const { ctx, dispose } = createDetectContext(regexBackend(), file, text, kind);
  try {
    const out: PackageEntry[] = [];
    for (const e of mcpServers(ctx)) {
      // The first registry package the command line runs is the server; a wrapper that runs several is rare, and
      // vetting reads the entry the same way.
      const launch = launchesOf(e).find(
        (l) => l.spec.value !== '' && !isLocalOrUrl(l.spec.value) && !LOCAL_DEV_TOOLS.has(l.spec.value),
      );
      if (!launch) continue;
      out.push({
        server: e.name.value,
        keyRange: rangeOf(ctx.lines, e.name),
        specRange: rangeOf(ctx.lines, launch.spec),
        launcher: launch.runner,
        spec: launch.spec.value,
        pinned: unpinnedReason(launch) === undefined,
      });
    }
    return out;
  } finally {
    dispose();
  }
}

function rangeOf(lines: LineIndex, s: Span): Range {
  return { start: lines.positionAt(s.start), end: lines.positionAt(s.end) };
}
