/**
 * Building the tool-definition lock file (`mcp-sentinel pin`) from a workspace's files: the MCP metadata of each
 * file, hashed per tool (server/analysis/mcp/toolHash.ts), in the format of server/project/pins.ts. Building pins
 * needs parse trees: await `initParsers()` first.
 */
import { mcpMetadataOf } from '../analysis/mcp/extract';
import { serverKey, toolHash } from '../analysis/mcp/toolHash';
import { createDetectContext } from '../core/context';
import { classifyPath } from '../core/fileKinds';
import { compareStrings } from '../core/order';
import { regexBackend } from '../core/regex';
import type { PinFile, PinnedServer, PinnedTool } from '../project/pins';
import { maskedName } from '../rules/secretDetector';

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
      // Names are recorded with secrets masked: a token used as a tool name must not be written to the lock file.
      tools.set(maskedName(e.name.value), { sha256: toolHash(e, text), file });
    }
    return { server: maskedName(serverKey(meta, file)), tools };
  } finally {
    dispose();
  }
}

/**
 * Builds the lock file from the files of a workspace (paths relative to the root, forward slashes). Files that
 * define no tool are left out; files are taken in path order, so the first file that pins a server's tool name
 * keeps it whatever order the files came in. Requires `initParsers()` to have completed.
 */
export function buildPins(files: readonly { file: string; text: string }[]): PinFile {
  const servers: Record<string, PinnedServer> = {};
  for (const { file, text } of [...files].sort((a, b) => compareStrings(a.file, b.file))) {
    const pins = pinsOfFile(file, text);
    if (!pins || pins.tools.size === 0) continue;
    const server = (servers[pins.server] ??= { tools: {} });
    for (const [name, pin] of pins.tools) if (!server.tools[name]) server.tools[name] = pin;
  }
  return { version: 1, servers };
}
