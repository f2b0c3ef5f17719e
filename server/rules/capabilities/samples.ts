import type { Capability } from '../../../shared/capabilities';
import type { RuleSample } from '../../core/rule';

/**
 * Samples of the capability rules, in the idioms of published servers (the official SDK's `server.tool` /
 * `registerTool`, low-level `CallToolRequestSchema` dispatchers, FastMCP decorators). «» marks the reported callee.
 * Negatives show the same calls outside every tool: in a build script, at start-up, in a function no tool calls.
 */

const TS_HEAD = `import { McpServer } from "@modelcontextprotocol/sdk/server/mcp.js";
import { z } from "zod";
const server = new McpServer({ name: "demo", version: "1.0.0" });
`;

export const CAPABILITY_SAMPLES: Record<Capability, { positive: RuleSample[]; negative: RuleSample[] }> = {
  shell: {
    positive: [
      {
        path: 'src/index.ts',
        note: 'desktop-commander style: the command comes from the tool call',
        code: `${TS_HEAD}import { exec } from "node:child_process";
server.tool("run", "Run a shell command", { cmd: z.string() }, async ({ cmd }) => {
  const out = await new Promise((resolve) => «exec»(cmd, (_e, stdout) => resolve(stdout)));
  return { content: [{ type: "text", text: String(out) }] };
});
`,
      },
      {
        path: 'server.py',
        note: 'a fixed command through a helper: the power is there, no argument controls it',
        code: `import subprocess
from mcp.server.fastmcp import FastMCP
mcp = FastMCP("sys")

def uptime():
    return «subprocess.run»("uptime | cut -c1-20", shell=True, capture_output=True).stdout

@mcp.tool()
def status() -> str:
    """System status."""
    return uptime()
`,
      },
      {
        path: 'src/index.ts',
        note: 'desktop-commander terminal-manager style: the shell flag is in an options object bound to a variable',
        code: `${TS_HEAD}import { spawn } from "node:child_process";
server.tool("start", "Start a process", {}, async () => {
  let options;
  options = { shell: process.env.SHELL || true, env: { ...process.env } };
  const child = «spawn»("make", ["all"], options);
  return { content: [{ type: "text", text: String(child.pid) }] };
});
`,
      },
    ],
    negative: [
      {
        path: 'src/index.ts',
        note: 'a shell used at start-up, outside every tool',
        code: `${TS_HEAD}import { execSync } from "node:child_process";
const version = execSync("git describe --tags").toString();
server.tool("version", "The server version", {}, async () => ({ content: [{ type: "text", text: version }] }));
`,
      },
      {
        path: 'src/index.ts',
        note: 'options bound to a variable that turn the shell off: a process, not a shell',
        code: `${TS_HEAD}import { spawn } from "node:child_process";
server.tool("start", "Start a process", {}, async () => {
  const options = { shell: false, cwd: "/srv" };
  const child = spawn("make", ["all"], options);
  return { content: [{ type: "text", text: String(child.pid) }] };
});
`,
      },
    ],
  },
  process: {
    positive: [
      {
        path: 'src/index.ts',
        code: `${TS_HEAD}import { spawn } from "node:child_process";
server.tool("git_log", "Show the git log", { repo: z.string() }, async ({ repo }) => {
  const child = «spawn»("git", ["-C", repo, "log", "--oneline"]);
  return { content: [{ type: "text", text: String(child.pid) }] };
});
`,
      },
    ],
    negative: [
      {
        path: 'scripts/build.ts',
        code: `import { spawnSync } from "node:child_process";
spawnSync("tsc", ["-p", "."]);
`,
      },
    ],
  },
  'code-eval': {
    positive: [
      {
        path: 'src/index.ts',
        note: 'code-runner style',
        code: `${TS_HEAD}import vm from "node:vm";
server.tool("evaluate", "Evaluate JavaScript", { code: z.string() }, async ({ code }) => {
  const value = «vm.runInNewContext»(code, {});
  return { content: [{ type: "text", text: String(value) }] };
});
`,
      },
    ],
    negative: [
      {
        path: 'src/index.ts',
        code: `${TS_HEAD}server.tool("echo", "Echo", { text: z.string() }, async ({ text }) => ({
  content: [{ type: "text", text: JSON.parse(JSON.stringify(text)) }],
}));
`,
      },
    ],
  },
  'file-read': {
    positive: [
      {
        path: 'src/index.ts',
        note: 'server-filesystem style: through a same-file helper',
        code: `${TS_HEAD}import fs from "node:fs/promises";
async function readText(p: string) {
  return «fs.readFile»(p, "utf-8");
}
server.tool("read_file", "Read a file", { path: z.string() }, async ({ path }) => ({
  content: [{ type: "text", text: await readText(path) }],
}));
`,
      },
      {
        path: 'server.py',
        code: `from mcp.server.fastmcp import FastMCP
mcp = FastMCP("notes")

@mcp.tool()
def read_note(name: str) -> str:
    with «open»(f"/srv/notes/{name}.md") as f:
        return f.read()
`,
      },
    ],
    negative: [
      {
        path: 'server.py',
        note: 'a write is file-write, not file-read',
        code: `from mcp.server.fastmcp import FastMCP
mcp = FastMCP("notes")

@mcp.tool()
def save_note(name: str, text: str) -> str:
    with open(f"/srv/notes/{name}.md", "w") as f:
        f.write(text)
    return "saved"
`,
      },
    ],
  },
  'file-write': {
    positive: [
      {
        path: 'server.py',
        code: `from mcp.server.fastmcp import FastMCP
mcp = FastMCP("notes")

@mcp.tool()
def save_note(name: str, text: str) -> str:
    with «open»(f"/srv/notes/{name}.md", "w") as f:
        f.write(text)
    return "saved"
`,
      },
      {
        path: 'src/index.ts',
        note: 'a low-level dispatcher: the `case` names the tool',
        code: `import { Server } from "@modelcontextprotocol/sdk/server/index.js";
import { CallToolRequestSchema } from "@modelcontextprotocol/sdk/types.js";
import * as fs from "fs";
const server = new Server({ name: "files", version: "1" }, { capabilities: { tools: {} } });
server.setRequestHandler(CallToolRequestSchema, async (request) => {
  switch (request.params.name) {
    case "delete_file":
      «fs.rmSync»(String(request.params.arguments?.path));
      return { content: [] };
    default:
      throw new Error("unknown tool");
  }
});
`,
      },
    ],
    negative: [
      {
        path: 'src/index.ts',
        code: `${TS_HEAD}import fs from "node:fs";
fs.mkdirSync("/tmp/cache", { recursive: true });
server.tool("ping", "Ping", {}, async () => ({ content: [{ type: "text", text: "pong" }] }));
`,
      },
    ],
  },
  network: {
    positive: [
      {
        path: 'src/index.ts',
        code: `${TS_HEAD}server.tool("fetch_page", "Fetch a web page", { url: z.string() }, async ({ url }) => {
  const res = await «fetch»(url);
  return { content: [{ type: "text", text: await res.text() }] };
});
`,
      },
    ],
    negative: [
      {
        path: 'src/index.ts',
        note: 'a POST is send-data, not a fetch',
        code: `${TS_HEAD}server.tool("notify", "Notify the team", { text: z.string() }, async ({ text }) => {
  await fetch("https://hooks.example.com/team", { method: "POST", body: JSON.stringify({ text }) });
  return { content: [] };
});
`,
      },
    ],
  },
  sql: {
    positive: [
      {
        path: 'src/index.ts',
        note: 'server-postgres style',
        code: `${TS_HEAD}import pg from "pg";
const pool = new pg.Pool();
server.tool("query", "Run a read-only SQL query", { sql: z.string() }, async ({ sql }) => {
  const client = await pool.connect();
  const result = await «client.query»(sql);
  return { content: [{ type: "text", text: JSON.stringify(result.rows) }] };
});
`,
      },
    ],
    negative: [
      {
        path: 'src/index.ts',
        note: 'a method named `execute` on a tool object is not SQL',
        code: `${TS_HEAD}const tools = { search: { execute: async (q: string) => q } };
server.tool("search", "Search", { q: z.string() }, async ({ q }) => ({
  content: [{ type: "text", text: await tools.search.execute(q) }],
}));
`,
      },
    ],
  },
  'env-credentials': {
    positive: [
      {
        path: 'src/index.ts',
        code: `${TS_HEAD}function apiKey() {
  return «process.env.BRAVE_API_KEY» ?? "";
}
server.tool("search", "Search the web", { q: z.string() }, async ({ q }) => ({
  content: [{ type: "text", text: q + apiKey().length }],
}));
`,
      },
      {
        path: 'server.py',
        note: 'a computed variable name: the tool chooses which variable it reads',
        code: `import os
from mcp.server.fastmcp import FastMCP
mcp = FastMCP("env")

@mcp.tool()
def get_setting(name: str) -> str:
    return «os.getenv»(name) or ""
`,
      },
    ],
    negative: [
      {
        path: 'src/index.ts',
        note: 'configuration that is not a credential, and a key read at start-up',
        code: `${TS_HEAD}const key = process.env.API_KEY;
server.tool("where", "Working folder", {}, async () => ({
  content: [{ type: "text", text: (process.env.HOME ?? "") + (process.env.NODE_ENV ?? "") + String(!!key) }],
}));
`,
      },
    ],
  },
  'send-data': {
    positive: [
      {
        path: 'src/index.ts',
        code: `${TS_HEAD}server.tool("notify", "Notify the team", { text: z.string() }, async ({ text }) => {
  await «fetch»("https://hooks.example.com/team", { method: "POST", body: JSON.stringify({ text }) });
  return { content: [] };
});
`,
      },
      {
        path: 'server.py',
        code: `import requests
from mcp.server.fastmcp import FastMCP
mcp = FastMCP("hooks")

@mcp.tool()
def post_webhook(url: str, payload: str) -> str:
    return «requests.post»(url, data=payload).text
`,
      },
    ],
    negative: [
      {
        path: 'server.py',
        code: `import requests
from mcp.server.fastmcp import FastMCP
mcp = FastMCP("weather")

@mcp.tool()
def forecast(city: str) -> str:
    return requests.get("https://api.example.com/forecast", params={"q": city}).text
`,
      },
    ],
  },
};
