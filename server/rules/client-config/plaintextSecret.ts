import { defineRule } from '../../core/rule';
import { maskSecret } from '../../core/mask';
import { mcpServers } from '../../analysis/json/mcpConfig';
import { secretFix } from './inputFix';
import { secretsOf } from './secretScan';
import { CONFIG_KINDS, SERVER_KEYWORDS } from './shared';

export const mcpConfigPlaintextSecret = defineRule({
  id: 'mcp-config-plaintext-secret',
  title: 'Plaintext secret in MCP client config',
  description:
    'A credential written literally into an MCP server entry (env, headers, arguments or URL) is exposed to everyone who can read or clone the config.',
  category: 'secret',
  severity: 'high',
  cwe: ['CWE-798', 'CWE-312'],
  owasp: ['A07:2021'],
  kinds: CONFIG_KINDS,
  keywords: SERVER_KEYWORDS,
  fixable: true,
  docs:
    'MCP client configs are often committed (`.vscode/mcp.json`, `.cursor/mcp.json`, `.mcp.json`) or synced. A token ' +
    'in `env`, in a header, in an argument such as `--api-key=…` or `KEY=value`, or in a URL is readable by anyone ' +
    'with the file. In VS Code use an input: `"env": { "TOKEN": "${input:token}" }` with a `promptString` input ' +
    '(`"password": true`) so VS Code asks once and keeps the value in the OS keychain. Cursor expands `${env:NAME}` ' +
    'and Claude Code expands `${NAME}` from the environment. Then revoke the exposed token.',
  detect(ctx) {
    return mcpServers(ctx).flatMap((e) =>
      secretsOf(e, ctx.regex).map((s) => {
        const fix = secretFix(ctx, e, s.span, s);
        return {
          start: s.span.start,
          end: s.span.end,
          message: `Plaintext ${s.what} in ${s.where} of MCP server "${e.name.value}" (${maskSecret(s.secret)}); use an input or environment reference instead.`,
          ...(s.identified ? {} : { severity: 'medium' as const }),
          ...(fix ? { fix } : {}),
        };
      }),
    );
  },
  positive: [
    {
      path: '.vscode/mcp.json',
      code: '{\n  "servers": {\n    "github": {\n      "command": "docker",\n      "args": ["run", "-i", "--rm", "-e", "GITHUB_PERSONAL_ACCESS_TOKEN", "ghcr.io/github/github-mcp-server"],\n      "env": { "GITHUB_PERSONAL_ACCESS_TOKEN": "«ghp_R8x2Lq9ZtV4mN7pK1sW3yB6cD0fH5jE2gA9u»" }\n    }\n  }\n}',
    },
    {
      path: '.cursor/mcp.json',
      code: '{ "mcpServers": { "api": { "url": "https://api.example.net/mcp", "headers": { "Authorization": "Bearer «9fK2mQ7xLp4RzT8vN1cW6bY3»" } } } }',
    },
    {
      path: 'claude_desktop_config.json',
      code: '{ "mcpServers": { "db": { "command": "npx", "args": ["-y", "@acme/db-mcp@1.2.0", "--api-key=«Zr7Qp2Lx9Vt4Mn8K»", "postgres://app:«Hq7!vR2zLm9x»@db.internal/app"] } } }',
    },
    {
      path: '.mcp.json',
      code: '{ "mcpServers": { "search": { "type": "http", "url": "https://search.example.org/mcp?api_key=«a81f3c9d27e64b0f»" } } }',
    },
    {
      path: '.vscode/settings.json',
      code: '{ "mcp": { "servers": { "gh": { "command": "docker", "args": ["run", "-i", "-e", "GITHUB_TOKEN=«ghp_R8x2Lq9ZtV4mN7pK1sW3yB6cD0fH5jE2gA9u»", "ghcr.io/github/github-mcp-server"] } } } }',
    },
  ],
  negative: [
    {
      path: '.vscode/mcp.json',
      note: "VS Code's documented pattern: a password input",
      code: '{\n  "inputs": [{ "type": "promptString", "id": "perplexity-key", "description": "Perplexity API Key", "password": true }],\n  "servers": {\n    "Perplexity": { "type": "stdio", "command": "npx", "args": ["-y", "server-perplexity-ask@0.1.3"], "env": { "PERPLEXITY_API_KEY": "${input:perplexity-key}" } }\n  }\n}',
    },
    {
      path: '.cursor/mcp.json',
      code: '{ "mcpServers": { "gh": { "command": "docker", "args": ["run", "-i", "--rm", "-e", "GITHUB_TOKEN", "ghcr.io/github/github-mcp-server"], "env": { "GITHUB_TOKEN": "${env:GITHUB_TOKEN}", "LOG_LEVEL": "debug", "API_KEY": "", "OPENAI_API_KEY": "YOUR_API_KEY_HERE", "SECRET_TOKEN": "$SECRET_TOKEN" }, "headers": { "Authorization": "Bearer ${env:API_TOKEN}" } } } }',
    },
    {
      path: '.mcp.json',
      code: '{ "mcpServers": { "pg": { "command": "npx", "args": ["-y", "@modelcontextprotocol/server-postgres@0.6.2", "postgresql://localhost/mydb"], "env": { "DATABASE_URL": "${DATABASE_URL}", "TOKEN_URL": "https://auth.example.com/token" } } } }',
    },
  ],
});
