import type { TSNode } from '../parse';
import { calleeOf, objectPair, stripAwaitAndCasts } from '../ast';
import type { CodeFacts } from './facts';
import type { Sink } from './types';

/**
 * JS sinks that start a program or open a connection on the caller's behalf without looking like `exec` or
 * `fetch`: the MCP SDK's client transports (an MCP proxy or inspector that launches the server a request names:
 * `new StdioClientTransport({ command, args })` spawns `command`; `new SSEClientTransport(url)` connects to `url`)
 * and the `open` package, which hands a URL or path to the operating system's opener (through `cmd /c start` or
 * PowerShell on Windows, where a crafted URL runs commands).
 */

/** The MCP SDK's client transports that connect to a URL, by class name. */
const URL_TRANSPORTS = new Set(['SSEClientTransport', 'StreamableHTTPClientTransport', 'WebSocketClientTransport']);

/** The launch and connection sinks of one JS call (see the module comment); empty for any other call. */
export function launchSinks(call: TSNode, q: string, args: readonly TSNode[], facts: CodeFacts): Sink[] {
  const a0 = args[0];
  if (!a0) return [];
  const isNew = call.type === 'new_expression';
  const cls = q.slice(q.lastIndexOf('.') + 1);
  if (isNew && q.includes('modelcontextprotocol') && cls === 'StdioClientTransport') {
    const opts = stripAwaitAndCasts(a0);
    const target = optionValue(opts, 'command');
    const list = optionValue(opts, 'args');
    if (!target) return [];
    return [
      {
        call,
        family: 'command',
        api: 'new StdioClientTransport (spawns the command)',
        args: list ? [target, list] : [target],
        reportTainted: true,
      },
    ];
  }
  if (isNew && q.includes('modelcontextprotocol') && URL_TRANSPORTS.has(cls))
    return [{ call, family: 'ssrf', api: `new ${cls}`, args: [a0], reportTainted: true }];
  // `import open from "open"`: the callee is a name bound to the module itself.
  const callee = calleeOf(call);
  if (!isNew && callee?.type === 'identifier' && facts.aliases.get(callee.text) === 'open')
    return [
      {
        call,
        family: 'command',
        api: 'open() (the `open` package: the OS opener)',
        args: [a0],
        reportTainted: true,
        note: 'On Windows the opener goes through a shell, where a crafted URL runs commands.',
      },
    ];
  return [];
}

/** The value of `key` in an object literal: a `key: value` pair or a shorthand `{ key }`. */
function optionValue(obj: TSNode, key: string): TSNode | undefined {
  if (obj.type !== 'object') return undefined;
  const pair = objectPair(obj, key)?.childForFieldName('value');
  if (pair) return pair;
  return obj.namedChildren.find((c): c is TSNode => c?.type === 'shorthand_property_identifier' && c.text === key);
}
