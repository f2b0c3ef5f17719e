// The capability analysis (server/analysis/capabilities): which tools reach which capabilities, through which
// same-file functions and dispatcher branches, with argument control; the resolver seam; the trifecta's
// classification; and the shared read-back of capability findings.
import assert from 'node:assert/strict';
import { before, describe, it } from 'node:test';
import { capabilitiesOf, type ToolCapabilities } from '../../server/analysis/capabilities';
import { nameWords, trifectaOf } from '../../server/analysis/capabilities/trifecta';
import { initParsers } from '../../server/analysis/parse';
import { createDetectContext } from '../../server/core/context';
import { classifyPath } from '../../server/core/fileKinds';
import { regexBackend } from '../../server/core/regex';
import type { DetectContext } from '../../server/core/rule';
import { CAPABILITY_RULE_IDS } from '../../server/rules/capabilities/inventory';
import {
  CAPABILITIES,
  capabilityFact,
  capabilityRuleId,
  capabilitySummary,
  controlMessage,
  isInventoryFinding,
  registrationMessage,
} from '../../shared/capabilities';

before(() => initParsers());

function withCtx<T>(path: string, text: string, f: (ctx: DetectContext) => T): T {
  const { ctx, dispose } = createDetectContext(regexBackend(), path, text, classifyPath(path)!);
  try {
    return f(ctx);
  } finally {
    dispose();
  }
}

/** `tool: capability[*=argument-controlled](via)` lines, the shape most tests compare. */
function shape(tools: ToolCapabilities[]): string[] {
  return tools.flatMap((t) =>
    t.uses.map(
      (u) =>
        `${t.tool}: ${u.capability}${u.control ? `*${u.control.param ?? ''}` : ''}${u.via.length ? ` via ${u.via.join('>')}` : ''}`,
    ),
  );
}

const DISPATCHER = `import { Server } from "@modelcontextprotocol/sdk/server/index.js";
import { CallToolRequestSchema } from "@modelcontextprotocol/sdk/types.js";
import { execFile } from "child_process";
import * as fs from "fs/promises";
const server = new Server({ name: "ops", version: "1" }, { capabilities: { tools: {} } });

async function readConfig(p) {
  return fs.readFile(p, "utf8");
}
async function loadAll(p) {
  return readConfig(p);
}
async function gitStatus() {
  return execFile("git", ["status"]);
}
server.setRequestHandler(CallToolRequestSchema, async (request) => {
  const { name, arguments: args } = request.params;
  switch (name) {
    case "read_config":
      return { content: [{ type: "text", text: await loadAll(args.path) }] };
    case "status":
      return { content: [{ type: "text", text: String(await gitStatus()) }] };
    default:
      throw new Error("unknown tool");
  }
});
`;

describe('capabilitiesOf', () => {
  it('names dispatched tools by their case, follows helpers transitively, and says which argument controls', () => {
    withCtx('src/index.js', DISPATCHER, (ctx) => {
      const tools = capabilitiesOf(ctx);
      assert.deepEqual(shape(tools), [
        'read_config: file-read*path via loadAll>readConfig',
        'status: process via gitStatus',
      ]);
      assert.equal(tools[0]!.server, 'ops');
      // With no list entity, the registration is the `case` string.
      const reg = tools[0]!.registration;
      assert.equal(ctx.text.slice(reg.start, reg.end), 'read_config');
    });
  });

  it('follows this.method() inside a class but never an ambiguous name', () => {
    const text = `import { McpServer } from "@modelcontextprotocol/sdk/server/mcp.js";
import { exec } from "child_process";
import { z } from "zod";
function run(c) { exec(c); }
function run(c) { return c; }
class Tools {
  shell(cmd) { exec(cmd); }
  register(server) {
    server.tool("a", "A", { cmd: z.string() }, async ({ cmd }) => { this.shell(cmd); return { content: [] }; });
    server.tool("b", "B", { cmd: z.string() }, async ({ cmd }) => { run(cmd); return { content: [] }; });
  }
}
`;
    withCtx('src/tools.js', text, (ctx) => assert.deepEqual(shape(capabilitiesOf(ctx)), ['a: shell*cmd via shell']));
  });

  it('Python: FastMCP tools, a fixed command in a helper, env credentials only by name', () => {
    const text = `import os, subprocess
from mcp.server.fastmcp import FastMCP
mcp = FastMCP("sys")

def token():
    return os.environ["GITHUB_TOKEN"]

@mcp.tool()
def status(verbose: bool = False) -> str:
    home = os.environ.get("HOME")
    return subprocess.check_output(["uptime"]).decode() + token() + str(home)
`;
    withCtx('server.py', text, (ctx) =>
      assert.deepEqual(shape(capabilitiesOf(ctx)), ['status: process', 'status: env-credentials via token']),
    );
  });

  it('the code-runner idiom: an argument written to a file and then run is code evaluation', () => {
    const text = `import { McpServer } from "@modelcontextprotocol/sdk/server/mcp.js";
import { exec } from "child_process";
import * as fs from "fs";
import { z } from "zod";
const server = new McpServer({ name: "runner", version: "1" });
server.tool("run_python", "Run Python", { code: z.string() }, async ({ code }) => {
  fs.writeFileSync("/tmp/x.py", code);
  exec("python3 /tmp/x.py");
  return { content: [] };
});
`;
    withCtx('src/runner.js', text, (ctx) =>
      assert.deepEqual(shape(capabilitiesOf(ctx)), [
        'run_python: shell',
        'run_python: code-eval*code',
        'run_python: file-write',
      ]),
    );
  });

  it('takes calls through the resolver seam: a cross-file index can stand in for the same-file one', () => {
    withCtx('src/index.js', DISPATCHER, (ctx) => {
      // A resolver that knows no function at all leaves only what the handler body does itself.
      assert.deepEqual(shape(capabilitiesOf(ctx, { resolveCall: () => undefined })), []);
    });
  });
});

describe('lethal trifecta', () => {
  it('splits tool names into words', () => {
    assert.deepEqual(nameWords('readEmail'), ['read', 'email']);
    assert.deepEqual(nameWords('send-slack_Message'), ['send', 'slack', 'message']);
  });

  it('needs three distinct tools, one per leg, and prefers registration order', () => {
    const tools = (names: string[]) =>
      `import { McpServer } from "@modelcontextprotocol/sdk/server/mcp.js";
const server = new McpServer({ name: "s", version: "1" });
${names.map((n) => `server.tool("${n}", "x", {}, async () => ({ content: [] }));`).join('\n')}
`;
    const of = (names: string[]) =>
      withCtx('src/s.ts', tools(names), (ctx) => {
        const t = trifectaOf(ctx);
        return t && [t.private.tool, t.untrusted.tool, t.outward.tool];
      });
    assert.deepEqual(of(['list_files', 'fetch_url', 'post_message']), ['list_files', 'fetch_url', 'post_message']);
    assert.deepEqual(of(['read_email', 'search_emails', 'send_email']), ['read_email', 'search_emails', 'send_email']);
    assert.equal(of(['read_email', 'send_email']), undefined, 'two tools are not three');
    assert.equal(of(['get_weather', 'get_forecast', 'add_note']), undefined, 'an API wrapper is not a trifecta');
    assert.equal(
      of(['read_file', 'write_file', 'create_directory']),
      undefined,
      'a file server has no untrusted input',
    );
  });
});

describe('shared read-back of capability findings', () => {
  const reg = { file: 'a.ts', range: { start: { line: 3, character: 0 }, end: { line: 3, character: 3 } } };
  it('reads the tool, server and argument control back from the related locations', () => {
    const f = {
      ruleId: 'mcp-capability-shell',
      related: [
        { ...reg, message: registrationMessage('run `x`', 'srv') },
        { ...reg, message: controlMessage('cmd') },
      ],
    };
    const fact = capabilityFact(f)!;
    assert.deepEqual(
      [fact.capability, fact.tool, fact.server, fact.argumentControlled],
      ['shell', 'run `x`', 'srv', true],
    );
    assert.equal(capabilityFact({ ruleId: 'js-command-injection', related: f.related }), undefined);
    assert.equal(capabilityFact({ ruleId: 'mcp-capability-shell' }), undefined);
  });

  it('the rule ids spelled out in the rule pack are the ids the read-back expects', () => {
    for (const c of CAPABILITIES) assert.equal(CAPABILITY_RULE_IDS[c], capabilityRuleId(c));
  });

  it('summarises a tool and tells inventory from defects', () => {
    assert.equal(
      capabilitySummary([
        { capability: 'shell', argumentControlled: true },
        { capability: 'file-read', argumentControlled: false },
      ]),
      'runs shell · reads files · argument-controlled',
    );
    assert.ok(isInventoryFinding({ category: 'capability', severity: 'info' }));
    assert.ok(!isInventoryFinding({ category: 'capability', severity: 'medium' }));
    assert.ok(!isInventoryFinding({ category: 'command-injection', severity: 'info' }));
  });
});
