// Precision of the secrets pack: realistic, clean MCP server code and configs must produce no finding at all,
// and where secrets are found, no message may contain the secret in full.
import assert from 'node:assert/strict';
import { before, describe, test } from 'node:test';
import { initParsers } from '../../server/analysis/parse';
import { Engine } from '../../server/engine/engine';
import { scanText } from './helpers';
import { createBackend } from '../../server/core/regex';
import { FAKE } from '../../server/rules/secrets/fakes';
import { secretsRules } from '../../server/rules/secrets';

before(() => initParsers());

const CLEAN: Record<string, string> = {
  'src/index.ts': `#!/usr/bin/env node
import { McpServer } from "@modelcontextprotocol/sdk/server/mcp.js";
import { StdioServerTransport } from "@modelcontextprotocol/sdk/server/stdio.js";
import { Octokit } from "@octokit/rest";
import { z } from "zod";
import { formatIssue } from "./format.js";

const TOKEN_ENV = "GITHUB_PERSONAL_ACCESS_TOKEN";
const token = process.env[TOKEN_ENV] ?? process.env.GITHUB_TOKEN;
if (!token) throw new Error(\`Set \${TOKEN_ENV} to a GitHub token (ghp_… or github_pat_…)\`);
const octokit = new Octokit({ auth: token, userAgent: "mcp-github/1.0.0" });
const server = new McpServer({ name: "github", version: "1.0.0" });

interface Credentials { username: string; password: string; apiKey?: string }
const labels = { passwordLabel: "Password", tokenHint: "Paste a personal access token", apiKeyPlaceholder: "sk-..." };

server.tool(
  "list_issues",
  "List issues of a repository",
  { owner: z.string(), repo: z.string(), apiKey: z.string().optional().describe("API key for the mirror") },
  async ({ owner, repo }, extra) => {
    const auth = extra.authInfo?.token;
    const headers = { Authorization: \`Bearer \${auth ?? token}\`, "X-Api-Key": process.env.MIRROR_API_KEY ?? "" };
    const res = await fetch(\`https://api.github.com/repos/\${owner}/\${repo}/issues\`, { headers });
    const issues = (await res.json()) as unknown[];
    return { content: [{ type: "text", text: issues.map(formatIssue).join("\\n") }] };
  },
);
const secretName = "projects/mcp/secrets/github-token/versions/latest";
const pool = { connectionString: process.env.DATABASE_URL, password: process.env.PGPASSWORD };
await server.connect(new StdioServerTransport());
`,
  'server.py': `"""Weather MCP server."""
import os
from mcp.server.fastmcp import FastMCP
from openai import OpenAI

mcp = FastMCP("weather")
API_KEY_ENV = "WEATHER_API_KEY"
api_key = os.environ[API_KEY_ENV]
client = OpenAI(api_key=os.getenv("OPENAI_API_KEY"))
DATABASE_URL = os.environ.get("DATABASE_URL", "postgresql://postgres:postgres@localhost:5432/weather")
token_url = "https://auth.example.org/oauth/token"

@mcp.tool()
def forecast(city: str, password: str | None = None) -> str:
    """Return the forecast for a city. The password argument is never logged."""
    headers = {"Authorization": f"Bearer {api_key}", "X-Api-Key": api_key}
    return f"Forecast for {city}"
`,
  'deploy/values.yaml': `image: ghcr.io/acme/mcp-weather:1.4.2
env:
  - name: WEATHER_API_KEY
    valueFrom:
      secretKeyRef:
        name: weather-secrets
        key: api-key
  - name: GITHUB_TOKEN
    value: \${{ secrets.GITHUB_TOKEN }}
auth:
  token_url: https://auth.example.org/oauth/token
  password_file: /run/secrets/db_password
  client_secret: "{{ vault_client_secret }}"
`,
  '.env.example': `# Copy to .env and fill in
GITHUB_TOKEN=ghp_xxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxx
OPENAI_API_KEY=sk-proj-your-key-here
ANTHROPIC_API_KEY=<your-anthropic-key>
WEATHER_API_KEY=YOUR_API_KEY
DATABASE_URL=postgres://app:\${DB_PASSWORD}@localhost:5432/app
AWS_ACCESS_KEY_ID=AKIAIOSFODNN7EXAMPLE
AWS_SECRET_ACCESS_KEY=wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY
SESSION_SECRET=changeme
`,
  Dockerfile: `FROM node:20-slim
ARG NPM_TOKEN
ENV NODE_ENV=production TOKEN_FILE=/run/secrets/token
RUN --mount=type=secret,id=npm_token NPM_TOKEN=$(cat /run/secrets/npm_token) npm ci
CMD ["node", "dist/index.js"]
`,
  'package.json': `{ "name": "mcp-weather", "version": "1.0.0", "scripts": { "build": "tsc" }, "dependencies": { "@modelcontextprotocol/sdk": "^1.12.0" } }
`,
};

for (const backendName of ['re2', 'js'] as const) {
  describe(`secrets precision (${backendName})`, () => {
    const engine = new Engine(secretsRules, {}, createBackend(backendName));
    for (const [path, text] of Object.entries(CLEAN)) {
      test(`clean ${path} has no secret finding`, () => {
        const r = scanText(engine, path, text);
        assert.deepEqual(r.errors, []);
        assert.deepEqual(
          r.findings.map((f) => `${f.ruleId} ${f.range.start.line + 1}: ${f.message}`),
          [],
        );
      });
    }

    test('every provider sample token is found once, and its message never contains the token', () => {
      for (const [ruleId, token] of Object.entries(FAKE)) {
        const r = scanText(engine, '.env', `SOME_VALUE=${token}\n`);
        // Contextual formats need a telling name; they are covered by their own samples.
        const mine = r.findings.filter((f) => f.ruleId === ruleId);
        if (mine.length === 0) continue;
        assert.equal(r.findings.length, 1, `${ruleId}: ${r.findings.map((f) => f.ruleId).join(', ')}`);
        assert.ok(!mine[0]!.message.includes(token), `${ruleId} message leaks the token`);
        assert.ok(
          !mine[0]!.message.includes(token.slice(0, Math.ceil(token.length / 2))),
          `${ruleId} message leaks half the token`,
        );
      }
    });

    test('a secret is reported by exactly one rule, masked', () => {
      const text = `const octokit = new Octokit({ auth: "${FAKE['secret-github-pat']}" });\nconst apiKey = "Qm7vT2xLp9RkZ4wN8sBc";\n`;
      const r = scanText(engine, 'src/index.ts', text);
      assert.deepEqual(
        r.findings.map((f) => f.ruleId),
        ['secret-github-pat', 'secret-generic-assignment'],
      );
      for (const f of r.findings) {
        assert.ok(
          !f.message.includes(FAKE['secret-github-pat']!) && !f.message.includes('Qm7vT2xLp9RkZ4wN8sBc'),
          f.message,
        );
        assert.match(f.message, /…\(\d+ chars\)/);
      }
    });
  });
}
