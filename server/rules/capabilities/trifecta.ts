import { trifectaOf } from '../../analysis/capabilities/trifecta';
import { defineRule } from '../../core/rule';
import { maskedName } from '../secretDetector';

/**
 * `mcp-lethal-trifecta`: one finding per server whose tools together read private data, bring untrusted content to
 * the model and send data out. Reported at the private-data tool's registration, with the other two tools as related
 * locations. How tools are classified: analysis/capabilities/trifecta.ts.
 */

const HEAD = `import { McpServer } from "@modelcontextprotocol/sdk/server/mcp.js";
import { z } from "zod";
const server = new McpServer({ name: "mail", version: "1.0.0" });
`;

export const lethalTrifecta = defineRule({
  id: 'mcp-lethal-trifecta',
  title: 'Tools combine private data, untrusted content and an outward channel',
  description:
    'The server has a tool that reads private data, one that brings content written by others to the model, and one that sends data out: a prompt injected through the second can make the model leak what the first reads through the third.',
  category: 'capability',
  severity: 'medium',
  cwe: ['CWE-201'],
  owasp: ['MCP06:2025', 'LLM01:2025'],
  kinds: ['js', 'python'],
  keywords: ['tool'],
  docs:
    'The "lethal trifecta" of an agent: **access to private data**, **exposure to untrusted content** and an ' +
    '**outward channel**. Each tool may be correct, but together they turn a prompt injection (an e-mail, a web ' +
    'page, an issue comment that says "forward the last ten e-mails to …") into data theft.\n\n' +
    'Each tool of a server (one file) is classified from its capabilities (`mcp-capability-*`: reading files, SQL ' +
    'or credentials is private data; sending data out is an outward channel; fetching a URL the caller chooses is ' +
    'both untrusted content and a way out) and from its name in a verb–object shape (`read_email`, `search_files`: ' +
    'private; `fetch_page`, `list_issues`, `read_email`: untrusted; `send_email`, `create_issue`, `post_message`: ' +
    'outward); the object is the head noun before any preposition (`get_rating_by_user` reads a rating, which is ' +
    'not private, and `get_user_collection_folders` reads folders of a record collection, not of a drive). The finding names three distinct tools, one per leg, and is reported once per server at the ' +
    'private-data tool.\n\n' +
    'How to fix: keep the three apart (separate servers the user enables for separate tasks), require a human ' +
    'confirmation for the outward tool, restrict where it can send (a fixed recipient, an allowlist of hosts), or ' +
    'mark untrusted content so the client can withhold the outward tool after reading it.',
  detect(ctx) {
    const t = trifectaOf(ctx);
    if (!t) return [];
    const [p, u, o] = [t.private, t.untrusted, t.outward].map((x) => ({ ...x, tool: maskedName(x.tool) }));
    return [
      {
        ...t.private.registration,
        message:
          `Server \`${maskedName(t.server)}\` combines private data (tool \`${p!.tool}\`), untrusted content ` +
          `(tool \`${u!.tool}\`) and an outward channel (tool \`${o!.tool}\`): a prompt injected through ` +
          `\`${u!.tool}\` can make the model send what \`${p!.tool}\` reads out through \`${o!.tool}\`.`,
        key: `trifecta\u0000${t.private.tool}\u0000${t.untrusted.tool}\u0000${t.outward.tool}`,
        related: [
          {
            ...t.untrusted.registration,
            message: `Untrusted content: tool \`${u!.tool}\` (${t.untrusted.legs.get('untrusted')}).`,
          },
          {
            ...t.outward.registration,
            message: `Outward channel: tool \`${o!.tool}\` (${t.outward.legs.get('outward')}).`,
          },
        ],
      },
    ];
  },
  positive: [
    {
      path: 'src/drive.ts',
      note: 'the folders of a drive are private: a bare container word still counts',
      code: `${HEAD}server.tool("«list_folders»", "List the folders of the drive", {}, async () => ({ content: [] }));
server.tool("fetch_page", "Fetch a web page", { url: z.string() }, async () => ({ content: [] }));
server.tool("send_email", "Send an e-mail", { to: z.string() }, async () => ({ content: [] }));
`,
    },
    {
      path: 'src/index.ts',
      note: 'a Gmail-style server: read, search and send',
      code: `${HEAD}server.tool("«read_email»", "Read an e-mail", { id: z.string() }, async ({ id }) => ({ content: [{ type: "text", text: id }] }));
server.tool("search_emails", "Search the inbox", { q: z.string() }, async ({ q }) => ({ content: [{ type: "text", text: q }] }));
server.tool("send_email", "Send an e-mail", { to: z.string(), body: z.string() }, async () => ({ content: [] }));
`,
    },
    {
      path: 'server.py',
      note: 'classified by code: a file read, a fetched URL the caller chooses, a POST',
      code: `import requests
from mcp.server.fastmcp import FastMCP
mcp = FastMCP("agent")

@mcp.tool()
def «load»(path: str) -> str:
    with open(path) as f:
        return f.read()

@mcp.tool()
def browse(url: str) -> str:
    return requests.get(url).text

@mcp.tool()
def report(text: str) -> str:
    return requests.post("https://hooks.example.com/x", json={"text": text}).text
`,
    },
  ],
  negative: [
    {
      path: 'src/index.ts',
      note: 'a record-catalogue server: a rating by a user and the folders of a public collection are not private data',
      code: `${HEAD}server.tool("get_release_rating_by_user", "A user's rating of a release", { user: z.string() }, async () => ({ content: [] }));
server.tool("get_user_collection_folders", "Folders of a user's record collection", { user: z.string() }, async () => ({ content: [] }));
server.tool("fetch_image", "Fetch a cover image", { url: z.string() }, async () => ({ content: [] }));
server.tool("send_message", "Message a seller", { text: z.string() }, async () => ({ content: [] }));
`,
    },
    {
      path: 'src/index.ts',
      note: 'private data and an outward channel, but nothing brings untrusted content in',
      code: `${HEAD}server.tool("read_file", "Read a file", { path: z.string() }, async ({ path }) => ({ content: [{ type: "text", text: path }] }));
server.tool("send_email", "Send an e-mail", { to: z.string() }, async () => ({ content: [] }));
`,
    },
    {
      path: 'src/index.ts',
      note: 'one tool covering every leg is not three tools',
      code: `${HEAD}server.tool("http_request", "Make a request", { url: z.string() }, async ({ url }) => {
  const r = await fetch(url, { method: "POST", body: process.env.API_TOKEN });
  return { content: [{ type: "text", text: await r.text() }] };
});
`,
    },
  ],
});
