import { defineRule, type RawFinding } from '../../core/rule';
import type { Severity } from '../../../shared/types';
import { mcpServers } from '../../analysis/json/mcpConfig';
import { CONFIG_KINDS, OWASP_CONFIG } from './shared';

/** The lower-case words of a tool name: `browser_evaluate`, `executeCommand` and `run-sql` all split. */
export function toolWords(name: string): string[] {
  return name
    .replace(/([a-z0-9])([A-Z])/g, '$1 $2')
    .toLowerCase()
    .split(/[^a-z0-9]+/)
    .filter(Boolean);
}

const RUN = ['exec', 'execute', 'run', 'start', 'spawn', 'invoke', 'interact'];
const RUNNABLE = ['command', 'cmd', 'shell', 'script', 'code', 'process', 'terminal', 'python', 'javascript', 'js'];
const ALWAYS_CODE = ['shell', 'bash', 'powershell', 'terminal', 'eval', 'evaluate', 'repl', 'interpreter'];
const WRITE = ['write', 'edit', 'delete', 'remove', 'rm', 'move', 'rename', 'create', 'upload', 'append', 'mkdir'];
const FILE = ['file', 'files', 'directory', 'dir', 'folder', 'path'];
const SQL_RUN = ['write', 'execute', 'exec', 'run', 'raw', 'mutate', 'update', 'insert'];
const HTTP_WRITE = ['post', 'put', 'patch', 'send', 'request'];
const HTTP = ['http', 'https', 'request', 'webhook', 'api', 'url'];

/** What an auto-approved tool can do without the user's say, judged from its name, with the severity it earns. */
export function dangerOfTool(name: string): { what: string; severity: Severity } | undefined {
  if (name.trim() === '*') return { what: 'every tool of the server, whatever it does', severity: 'high' };
  const w = toolWords(name);
  const has = (list: string[]) => w.some((x) => list.includes(x));
  if (has(ALWAYS_CODE) || (has(RUN) && has(RUNNABLE))) return { what: 'runs commands or code', severity: 'high' };
  if (w.includes('sql') || (w.includes('query') && has(SQL_RUN)))
    return { what: 'runs SQL chosen by the model', severity: 'medium' };
  if (has(WRITE) && has(FILE)) return { what: 'writes, moves or deletes files', severity: 'medium' };
  if (has(HTTP_WRITE) && has(HTTP)) return { what: 'sends HTTP requests', severity: 'medium' };
  return undefined;
}

// One finding per dangerous entry of an auto-approve list, on the tool name: the list is what the user edits.
export const mcpConfigAutoApproveDangerous = defineRule({
  id: 'mcp-config-auto-approve-dangerous',
  title: 'Dangerous MCP tool approved without asking',
  description:
    'An `alwaysAllow` / `autoApprove` list that includes tools which run commands or code, execute SQL, write files or send HTTP requests lets a prompt injection use them with no confirmation from the user.',
  category: 'insecure-config',
  severity: 'medium',
  cwe: ['CWE-862'],
  owasp: OWASP_CONFIG,
  kinds: CONFIG_KINDS,
  keywords: ['alwaysAllow', 'autoApprove'],
  docs:
    'Clients such as Cline, Roo Code and Windsurf skip the confirmation prompt for tools listed in `alwaysAllow` or ' +
    '`autoApprove`. The prompt is the last human check between a poisoned web page, issue or document and what the ' +
    'model does with it. Auto-approve read-only tools if you must, never tools that execute commands or code ' +
    '(`execute_command`, `browser_evaluate`), run SQL, write or delete files, or send HTTP requests, and never `*`. ' +
    'The tool is judged by its name, so a harmless tool with an alarming name can be reported: rename or suppress.',
  detect(ctx) {
    const out: RawFinding[] = [];
    for (const e of mcpServers(ctx)) {
      for (const t of e.autoApproved) {
        const danger = dangerOfTool(t.value);
        if (!danger) continue;
        out.push({
          start: t.start,
          end: t.end,
          message: `MCP server "${e.name.value}" auto-approves ${t.value === '*' ? danger.what : `tool "${t.value}", which ${danger.what}`}; let the client ask before each call.`,
          severity: danger.severity,
        });
      }
    }
    return out;
  },
  positive: [
    {
      path: 'cline_mcp_settings.json',
      code: '{ "mcpServers": { "desktop": { "command": "npx", "args": ["-y", "@wonderwhy-er/desktop-commander@0.2.52"], "alwaysAllow": ["read_file", "«execute_command»", "«write_file»", "list_directory"] }, "db": { "command": "uvx", "args": ["mcp-server-sqlite==0.6.2", "--db-path", "app.db"], "autoApprove": ["list_tables", "«write_query»"] } } }',
    },
    {
      path: 'mcp_settings.json',
      code: '{ "mcpServers": { "pw": { "command": "npx", "args": ["@playwright/mcp@0.0.83"], "alwaysAllow": ["browser_snapshot", "«browser_evaluate»"] }, "all": { "command": "node", "args": ["srv.js"], "autoApprove": ["«*»"] }, "h": { "command": "node", "args": ["h.js"], "autoApprove": ["«http_post»"] } } }',
    },
  ],
  negative: [
    {
      path: 'cline_mcp_settings.json',
      code: '{ "mcpServers": { "fs": { "command": "npx", "args": ["-y", "@modelcontextprotocol/server-filesystem@2026.8.31", "/home/me/notes"], "alwaysAllow": ["read_file", "list_directory", "search_files", "get_file_info"] }, "gh": { "command": "node", "args": ["gh.js"], "autoApprove": ["get_issue", "search_code", "read_query", "fetch"] } } }',
      note: 'read-only tools may be approved',
    },
  ],
});
