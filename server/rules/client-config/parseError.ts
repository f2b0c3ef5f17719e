import { defineRule } from '../../core/rule';
import { jsonDoc } from '../../analysis/json/jsonc';

// Only the first error is reported: jsonc-parser recovers and often reports a cascade of follow-on errors from
// one missing brace, and one precise pointer is what helps.
export const mcpConfigParseError = defineRule({
  id: 'mcp-config-parse-error',
  title: 'MCP client config does not parse',
  description:
    'The MCP client config has a syntax error, so the client may ignore it or read only part of it, and the other config checks only see what could be recovered.',
  category: 'insecure-config',
  severity: 'info',
  cwe: [],
  owasp: [],
  kinds: ['mcp-config'],
  keywords: [],
  docs:
    'MCP clients read their server list from JSON (most accept comments and trailing commas). A syntax error makes ' +
    'the client reject the file or pick up a different server list than the one you reviewed, and MCP Sentinel ' +
    'checks only what the parser could recover. Fix the syntax at the reported position.',
  detect(ctx) {
    const first = jsonDoc(ctx).errors[0];
    if (!first) return [];
    const start = Math.min(first.offset, ctx.text.length);
    const end = Math.min(first.offset + Math.max(first.length, 0), ctx.text.length);
    const lc = ctx.lines.positionAt(start);
    return [
      {
        start,
        end,
        message: `Syntax error in the MCP client config at line ${lc.line + 1}, column ${lc.character + 1}: ${describe(first.code)}; checks see only what could be recovered.`,
        key: first.code,
      },
    ];
  },
  positive: [
    {
      path: '.vscode/mcp.json',
      code: '{\n  "servers": {\n    "git": { "command": "uvx" «"args"»: ["mcp-server-git"] }\n  }\n}',
      note: 'missing comma',
    },
    {
      path: '.cursor/mcp.json',
      code: '{ "mcpServers": { "a": { "command": "node" } }«»',
      note: 'missing closing brace: reported at the end',
    },
  ],
  negative: [
    {
      path: '.vscode/mcp.json',
      code: '{\n  // comments and trailing commas are fine\n  "servers": {\n    "git": { "command": "uvx", "args": ["mcp-server-git==0.6.2",], },\n  },\n}',
    },
  ],
});

function describe(code: string): string {
  switch (code) {
    case 'CommaExpected':
      return 'a comma is missing';
    case 'CloseBraceExpected':
      return 'a closing brace } is missing';
    case 'CloseBracketExpected':
      return 'a closing bracket ] is missing';
    case 'ColonExpected':
      return 'a colon is missing';
    case 'PropertyNameExpected':
      return 'a property name is expected';
    case 'ValueExpected':
      return 'a value is expected';
    case 'EndOfFileExpected':
      return 'text follows the end of the JSON value';
    case 'UnexpectedEndOfString':
      return 'a string is not closed';
    case 'UnexpectedEndOfComment':
      return 'a comment is not closed';
    default:
      return code;
  }
}
