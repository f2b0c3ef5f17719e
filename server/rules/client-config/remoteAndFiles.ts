import { defineRule, type RawFinding } from '../../core/rule';
import { argvOf, mcpServers, programName, type McpServerEntry } from '../../analysis/json/mcpConfig';
import type { JsonString } from '../../analysis/json/jsonc';
import { launchesOf, packageName } from './launch';
import { CONFIG_KINDS, OWASP_CONFIG, SERVER_KEYWORDS } from './shared';

/** True for hosts that never leave the machine: localhost, *.localhost, 127.0.0.0/8, ::1, 0.0.0.0. */
export function isLoopbackHost(host: string): boolean {
  const h = host.toLowerCase().replace(/^\[|\]$/g, '');
  return (
    h === 'localhost' ||
    h.endsWith('.localhost') ||
    h === '::1' ||
    h === '0.0.0.0' ||
    /^127\.\d{1,3}\.\d{1,3}\.\d{1,3}$/.test(h) ||
    h === 'host.docker.internal'
  );
}

/** True for RFC 1918 and link-local addresses: plaintext there stays on a local network, still readable by it. */
function isPrivateHost(host: string): boolean {
  return (
    /^(?:10\.|192\.168\.|172\.(?:1[6-9]|2\d|3[01])\.|169\.254\.)/.test(host) ||
    host.endsWith('.local') ||
    host.endsWith('.internal') ||
    host.endsWith('.lan')
  );
}

/** Local bridges that connect a stdio client to a remote MCP server named by a URL in their arguments. */
const BRIDGES = new Set(['mcp-remote', 'supergateway', 'mcp-proxy', 'mcp-remote-client']);

/** The URLs a bridge server entry connects to (none when the entry does not launch a bridge). */
function bridgedUrls(e: McpServerEntry): JsonString[] {
  const isBridge =
    launchesOf(e).some((l) => BRIDGES.has(packageName(l))) ||
    argvOf(e).some((t) => BRIDGES.has(programName(t.value)) || t.value === '--allow-http');
  return isBridge ? e.args.filter((a) => /^(?:https?|wss?):\/\//i.test(a.value.trim())) : [];
}

/** The scheme and host of a URL that travels in clear text to a non-loopback host, else undefined. */
function plainTarget(url: string): { scheme: 'http' | 'ws'; host: string } | undefined {
  const lower = url.trim().toLowerCase();
  const scheme = lower.startsWith('http://') ? 'http' : lower.startsWith('ws://') ? 'ws' : undefined;
  if (!scheme) return undefined;
  const rest = url.trim().slice(scheme.length + 3);
  const authority = rest.split(/[/?#]/)[0] ?? '';
  const hostPort = authority.slice(authority.lastIndexOf('@') + 1);
  const host = hostPort.startsWith('[') ? hostPort.slice(0, hostPort.indexOf(']') + 1) : (hostPort.split(':')[0] ?? '');
  if (host === '' || host.includes('${') || isLoopbackHost(host)) return undefined;
  return { scheme, host };
}

export const mcpConfigInsecureUrl = defineRule({
  id: 'mcp-config-insecure-url',
  title: 'Remote MCP server over plain HTTP',
  description:
    'A remote MCP server reached over http:// or ws:// to a non-loopback host sends tool calls, results and any auth headers in clear text that anyone on the path can read or alter.',
  category: 'insecure-config',
  severity: 'medium',
  cwe: ['CWE-319'],
  owasp: ['A02:2021'],
  kinds: CONFIG_KINDS,
  keywords: ['http:', 'ws:'],
  docs:
    'Remote (HTTP / SSE) MCP servers carry prompts, tool arguments, results and tokens. Over `http://` a network ' +
    'attacker can read them and inject tool results (a direct prompt-injection channel). Use `https://`. Loopback ' +
    'addresses (`localhost`, `127.0.0.1`, `[::1]`, `*.localhost`) are not reported; private-network hosts are ' +
    'reported at low severity; sending `headers` over plain HTTP is high.',
  detect(ctx) {
    const out: RawFinding[] = [];
    for (const e of mcpServers(ctx)) {
      // The remote server is the entry's `url`, or a URL handed to a local bridge (mcp-remote, supergateway…) in
      // its arguments: the bridge then talks plain HTTP to the remote on the user's behalf.
      const bridged = bridgedUrls(e);
      for (const u of e.url ? [e.url, ...bridged] : bridged) {
        const target = plainTarget(u.value);
        if (!target) continue;
        const { scheme, host } = target;
        const severity =
          e.headers.length > 0 ? ('high' as const) : isPrivateHost(host.toLowerCase()) ? ('low' as const) : undefined;
        const withHeaders = e.headers.length > 0 ? ', including its headers' : '';
        const via = u === e.url ? '' : ' through a local bridge';
        out.push({
          start: u.start,
          end: u.end,
          message: `MCP server "${e.name.value}" is reached over unencrypted ${scheme}${via} at ${host}${withHeaders}; use https.`,
          ...(severity ? { severity } : {}),
        });
      }
    }
    return out;
  },
  positive: [
    {
      path: '.vscode/mcp.json',
      code: '{ "servers": { "remote": { "type": "http", "url": "«http://mcp.example.com/mcp»" } } }',
    },
    { path: 'mcp_config.json', code: '{ "mcpServers": { "w": { "serverUrl": "«http://10.0.0.12:8080/sse»" } } }' },
    {
      path: 'claude_desktop_config.json',
      code: '{ "mcpServers": { "notes": { "command": "npx", "args": ["-y", "mcp-remote@0.1.15", "«http://notes.example.com/sse»", "--allow-http"] }, "gw": { "command": "npx", "args": ["-y", "supergateway@3.4.0", "--sse", "«http://mcp.example.org:8000/sse»"] } } }',
      note: 'a local bridge to a remote server over plain HTTP',
    },
  ],
  negative: [
    {
      path: '.cursor/mcp.json',
      code: '{ "mcpServers": { "r": { "command": "npx", "args": ["mcp-remote@0.1.15", "https://mcp.example.com/sse"] }, "l": { "command": "npx", "args": ["mcp-remote@0.1.15", "http://localhost:8080/sse", "--allow-http"] }, "s": { "command": "node", "args": ["server.js", "http://example.com/docs"] } } }',
      note: 'a bridge to https or loopback, and a URL that a non-bridge server merely receives as an argument',
    },
    {
      path: '.vscode/mcp.json',
      code: '{ "servers": { "a": { "type": "http", "url": "https://api.githubcopilot.com/mcp/" }, "b": { "type": "http", "url": "http://localhost:3000/mcp" }, "c": { "type": "sse", "url": "http://127.0.0.1:8931/sse" }, "d": { "url": "http://[::1]:9000/mcp" }, "e": { "url": "http://app.localhost/mcp" } } }',
    },
  ],
});

/** Paths that hand a server the whole disk or the whole home folder. */
const BROAD_ROOTS = new Set([
  '/',
  '~',
  '~/',
  '$home',
  '${home}',
  '${env:home}',
  '${userhome}',
  '%userprofile%',
  '%homedrive%%homepath%',
  'c:\\',
  'c:/',
  'c:',
  '/home',
  '/home/',
  '/users',
  '/users/',
  '/root',
  '/root/',
  '/etc',
  '/var',
]);

/** Filesystem-serving packages whose positional arguments are the allowed roots. */
function isFilesystemServer(name: string): boolean {
  const n = name.toLowerCase();
  return (
    n.includes('server-filesystem') ||
    n.includes('mcp-filesystem') ||
    n.includes('filesystem-mcp') ||
    n === 'mcp-server-filesystem'
  );
}

export const mcpConfigBroadFilesystemRoot = defineRule({
  id: 'mcp-config-broad-filesystem-root',
  title: 'MCP server given the whole disk or home folder',
  description:
    'An MCP server allowed to read (and often write) the root of the disk or the home folder exposes SSH keys, cloud credentials and browser data to every prompt that reaches it.',
  category: 'sensitive-file-access',
  severity: 'high',
  cwe: ['CWE-732', 'CWE-552'],
  owasp: OWASP_CONFIG,
  kinds: CONFIG_KINDS,
  keywords: SERVER_KEYWORDS,
  docs:
    'Filesystem servers (`@modelcontextprotocol/server-filesystem` and similar) take the directories they may ' +
    'access as arguments. `/`, `~`, `$HOME`, `%USERPROFILE%` or `C:\\` gives the model, and any prompt injection ' +
    'that steers it, access to `~/.ssh`, `~/.aws`, `.env` files and the rest. The same applies to a Docker mount of ' +
    '`/` or the home folder. Pass only the project folders the server needs (for example `${workspaceFolder}`).',
  detect(ctx) {
    const out: RawFinding[] = [];
    for (const e of mcpServers(ctx)) {
      const fs = launchesOf(e).find((l) => isFilesystemServer(packageName(l)));
      const argv = argvOf(e).filter((t) => !t.fromCommand);
      for (let i = 0; i < argv.length; i++) {
        const t = argv[i]!;
        const v = t.value.trim();
        // Docker bind mounts: -v /:/host, --mount type=bind,source=/,target=/host
        const prev = argv[i - 1]?.value;
        if (prev === '-v' || prev === '--volume') {
          const src = v.split(':')[0] ?? '';
          if (BROAD_ROOTS.has(src.toLowerCase())) {
            out.push({
              start: t.start,
              end: t.start + src.length,
              message: `MCP server "${e.name.value}" mounts ${src} into its container; mount only the folders it needs.`,
            });
          }
          continue;
        }
        // Any server given `/`, `~`, `$HOME` or a drive root is reported; the system folders (/home, /etc, /var)
        // only for filesystem servers, where a positional argument is known to be an allowed root.
        if (BROAD_ROOTS.has(v.toLowerCase()) && (fs || !v.startsWith('/') || v === '/')) {
          const what = fs ? `filesystem server "${e.name.value}"` : `MCP server "${e.name.value}"`;
          out.push({
            start: t.start,
            end: t.end,
            message: `The ${what} is given ${v} as a root; allow only the project folders it needs.`,
          });
        }
      }
    }
    return out;
  },
  positive: [
    {
      path: '.cursor/mcp.json',
      code: '{ "mcpServers": { "fs": { "command": "npx", "args": ["-y", "@modelcontextprotocol/server-filesystem@2025.1.14", "«~»", "«/»"] } } }',
    },
    {
      path: 'claude_desktop_config.json',
      code: '{ "mcpServers": { "fs": { "command": "npx", "args": ["-y", "@modelcontextprotocol/server-filesystem@2025.1.14", "«C:\\\\»"] }, "d": { "command": "docker", "args": ["run", "-i", "--rm", "-v", "«/»:/host", "mcp/filesystem", "/host"] } } }',
    },
    {
      path: '.vscode/mcp.json',
      code: '{ "servers": { "fs": { "command": "npx", "args": ["-y", "@modelcontextprotocol/server-filesystem@2025.1.14", "«${userHome}»", "«/home»"] } } }',
    },
  ],
  negative: [
    {
      path: '.cursor/mcp.json',
      code: '{ "mcpServers": { "fs": { "command": "npx", "args": ["-y", "@modelcontextprotocol/server-filesystem@2025.1.14", "/home/me/projects", "${workspaceFolder}"] } } }',
    },
    {
      path: '.vscode/mcp.json',
      code: '{ "servers": { "d": { "command": "docker", "args": ["run", "-i", "--rm", "--mount", "type=bind,src=${workspaceFolder},dst=/projects/app", "-v", "/home/me/data:/data:ro", "mcp/filesystem", "/projects"] }, "git": { "command": "uvx", "args": ["mcp-server-git==0.6.2", "--repository", "/home/me/src/app"] } } }',
    },
  ],
});
