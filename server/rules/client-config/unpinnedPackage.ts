import { defineRule } from '../../core/rule';
import { mcpServers } from '../../analysis/json/mcpConfig';
import { launchesOf, unpinnedReason } from './launch';
import { CONFIG_KINDS } from './shared';

// One finding per package, on the package spec. The auto-install flag (-y) is part of the message rather than a
// finding of its own: with a pinned version, -y is harmless and required (clients cannot answer npx's prompt),
// and without one the risk is the floating version, which -y only makes silent.
export const mcpConfigUnpinnedPackage = defineRule({
  id: 'mcp-config-unpinned-package',
  title: 'MCP server package runs without a pinned version',
  description:
    'A server launched with npx, uvx or a similar runner without an exact version runs whatever the registry serves on each start, so a compromised or hijacked release executes with your privileges.',
  category: 'supply-chain',
  severity: 'medium',
  cwe: ['CWE-829', 'CWE-494'],
  owasp: ['A08:2021'],
  kinds: CONFIG_KINDS,
  keywords: ['npx', 'uvx', 'dlx', 'npm', 'bunx', 'pnpx', 'pipx', 'uv', 'bun'],
  docs:
    'Package runners (`npx`, `bunx`, `pnpm dlx`, `yarn dlx`, `npm exec`, `uvx`, `uv tool run`, `pipx run`) download ' +
    'the newest matching release when the client starts the server. Without a pinned version (or with `@latest`, a ' +
    'tag or a range) a malicious release published tomorrow runs on your machine with no review; `-y` makes npx ' +
    'install it without asking. Pin the exact version: `npx -y @modelcontextprotocol/server-filesystem@2025.1.14`, ' +
    '`uvx mcp-server-git==0.6.2` (or `uvx --from mcp-server-git==0.6.2 mcp-server-git`), and update deliberately.',
  detect(ctx) {
    return mcpServers(ctx).flatMap((e) =>
      launchesOf(e).flatMap((l) => {
        const why = unpinnedReason(l);
        if (!why) return [];
        const yes = l.yes ? ' and installs it without asking (-y)' : '';
        return [
          {
            start: l.spec.start,
            end: l.spec.end,
            message: `MCP server "${e.name.value}" runs ${l.spec.value} via ${l.runner} with ${why}${yes}; pin an exact version.`,
          },
        ];
      }),
    );
  },
  positive: [
    {
      path: '.cursor/mcp.json',
      code: '{ "mcpServers": { "fs": { "command": "npx", "args": ["-y", "«@modelcontextprotocol/server-filesystem»", "/home/me/projects"] } } }',
    },
    {
      path: '.vscode/mcp.json',
      code: '{ "servers": { "pw": { "command": "npx", "args": ["«@playwright/mcp@latest»"] }, "git": { "command": "uvx", "args": ["«mcp-server-git»"] }, "t": { "command": "uvx", "args": ["--from", "«mcp-server-time>=0.6»", "mcp-server-time"] } } }',
    },
    {
      path: 'claude_desktop_config.json',
      code: '{ "mcpServers": { "x": { "command": "cmd", "args": ["/c", "npx", "-y", "«some-mcp@^1.2.0»"] }, "y": { "command": "pnpm dlx «mcp-remote»" }, "z": { "command": "pipx", "args": ["run", "«mcp-server-fetch»"] } } }',
    },
  ],
  negative: [
    {
      path: '.cursor/mcp.json',
      code: '{ "mcpServers": { "fs": { "command": "npx", "args": ["-y", "@modelcontextprotocol/server-filesystem@2025.1.14", "/home/me/projects"] } } }',
      note: 'pinned + -y is fine',
    },
    {
      path: '.vscode/mcp.json',
      code: '{ "servers": { "git": { "command": "uvx", "args": ["mcp-server-git==0.6.2"] }, "t": { "command": "uvx", "args": ["--from", "mcp-server-time==0.6.2", "mcp-server-time"] }, "gh": { "command": "docker", "args": ["run", "-i", "--rm", "mcp/github"] } } }',
    },
    {
      path: '.mcp.json',
      code: '{ "mcpServers": { "local": { "command": "npx", "args": ["tsx", "./src/server.ts"] }, "l2": { "command": "node", "args": ["dist/index.js"] }, "l3": { "command": "npx", "args": ["-y", "./packages/my-server"] }, "l4": { "command": "uvx", "args": ["--from", "git+https://github.com/acme/mcp@3f2a1c9", "acme-mcp"] } } }',
      note: 'local dev tools, local paths and git sources are not registry pins',
    },
  ],
});
