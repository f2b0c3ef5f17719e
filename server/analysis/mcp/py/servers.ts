import { ancestor, kids } from '../../ast';
import type { TSNode } from '../../parse';
import { type PyScope, resolve } from './eval';

/**
 * Which objects are MCP servers. A decorator `@x.tool()` registers an MCP tool only when `x` is a FastMCP or
 * low-level `Server`: pydantic-ai's `@agent.tool`, a Flask `app` or a Typer app use the same method names. The
 * server may be built in this file under any name (`app = FastMCP(...)`, `self.mcp = FastMCP(...)`), passed in as
 * a typed parameter (`def register(mcp: FastMCP)`), or imported from the module that built it
 * (`from .server import mcp`), which this per-file view cannot see: such names are accepted when the file uses an
 * MCP SDK or the name says it is a server.
 */

/** What a receiver is known to be. */
export type ServerVerdict = 'mcp' | 'other' | 'unknown';

// Constructors and factories of MCP servers: FastMCP (SDK and fastmcp 2.x), the low-level Server, and
// project-specific factories that say what they build (`create_mcp_server()`, `build_server()`).
const MCP_CONSTRUCTOR =
  /(?:^|\.)(?:FastMCP|Server|McpServer|MCPServer|LowLevelServer)$|mcp|(?:^|[._])(?:create|build|make)_server$/i;
// An annotation naming a server class (`mcp: FastMCP`, `server: "Server"`, `Optional[FastMCP]`).
const MCP_TYPE = /\b(?:FastMCP|Server|McpServer|MCPServer)\b/;

/** What the object a decorator or call is made on is: an MCP server, something else, or unknown. */
export function serverVerdict(receiver: TSNode, scope: PyScope): ServerVerdict {
  // `self.mcp` is looked up by its text; `mcp` is followed through plain aliases (`server = mcp`).
  const direct = scope.value(receiver.text);
  const value = direct && direct.type === 'identifier' ? resolve(direct, scope) : direct;
  if (value?.type === 'call') {
    const callee = value.childForFieldName('function')?.text ?? '';
    return MCP_CONSTRUCTOR.test(callee) ? 'mcp' : 'other';
  }
  if (receiver.type === 'identifier') {
    const annotated = parameterType(receiver);
    if (annotated !== undefined) return MCP_TYPE.test(annotated) ? 'mcp' : annotated ? 'other' : 'unknown';
  }
  return 'unknown';
}

/** The annotation of the enclosing function's parameter of that name ('' when untyped), if there is one. */
function parameterType(id: TSNode): string | undefined {
  for (let fn = ancestor(id, (n) => n.type === 'function_definition'); fn;) {
    for (const p of kids(fn.childForFieldName('parameters'))) {
      const name =
        p.type === 'identifier'
          ? p
          : p.type === 'typed_parameter'
            ? kids(p).find((c) => c.type === 'identifier')
            : p.childForFieldName('name');
      if (name?.text === id.text) return p.childForFieldName('type')?.text ?? '';
    }
    fn = fn.parent ? ancestor(fn.parent, (n) => n.type === 'function_definition') : undefined;
  }
  return undefined;
}

/**
 * True when registrations on `receiver` count as MCP registrations: a known server, or an unknown object in a
 * file that uses an MCP SDK or under a name that says it is one (`mcp`, `server`, `app`, `self.mcp`).
 */
export function isServer(receiver: TSNode, scope: PyScope, usesMcpSdk: boolean): boolean {
  const v = serverVerdict(receiver, scope);
  if (v !== 'unknown') return v === 'mcp';
  return usesMcpSdk || /server|mcp|app/i.test(receiver.text);
}
