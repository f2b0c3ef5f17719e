import { defineRule, type RawFinding } from '../../core/rule';
import { argvOf, mcpServers, programName, type ArgvToken, type McpServerEntry } from '../../analysis/json/mcpConfig';
import { CONFIG_KINDS, OWASP_CONFIG } from './shared';

const POSIX_SHELLS = new Set(['sh', 'bash', 'zsh', 'dash', 'ksh', 'fish', 'ash']);
const POWERSHELLS = new Set(['powershell', 'pwsh']);

/** The script a shell wrapper runs: the word after `-c` / `/c` / `-Command`, with the flag. */
interface ShellScript {
  /** The shell's program name. */
  shell: string;
  /** The `-c`-style flag. */
  flag: ArgvToken;
  /** The script argument, when present. */
  script?: ArgvToken;
}

/** Finds `sh -c SCRIPT`, `cmd /c …`, `powershell -Command …` at the start of a server's command line. */
function shellScriptOf(e: McpServerEntry): ShellScript | undefined {
  const argv = argvOf(e);
  const first = argv[0];
  if (!first) return undefined;
  const shell = programName(first.value);
  for (let i = 1; i < argv.length; i++) {
    const v = argv[i]!.value;
    const lower = v.toLowerCase();
    const isFlag =
      (POSIX_SHELLS.has(shell) && /^-[a-z]*c[a-z]*$/.test(v)) ||
      (shell === 'cmd' && (lower === '/c' || lower === '/k')) ||
      (POWERSHELLS.has(shell) && ['-c', '-command', '-encodedcommand', '-e', '-ec', '-enc'].includes(lower));
    if (isFlag) {
      if (shell === 'cmd') {
        // cmd passes the rest of the line, word by word: rebuild it as one script for the judgement below.
        const rest = argv.slice(i + 1);
        const last = rest[rest.length - 1];
        const script =
          rest[0] && last
            ? {
                ...rest[0],
                value: rest.map((t) => t.value).join(' '),
                end: rest[0].source === last.source ? last.end : rest[0].end,
              }
            : undefined;
        return { shell, flag: argv[i]!, ...(script ? { script } : {}) };
      }
      const script = argv[i + 1];
      return { shell, flag: argv[i]!, ...(script ? { script } : {}) };
    }
    if (!v.startsWith('-') && !v.startsWith('/')) return undefined;
  }
  return undefined;
}

// Shell syntax that makes a script a program rather than one command: sequencing, pipes, redirection,
// substitution and expansion. `cmd /c npx -y pkg` (the documented Windows launch) has none of it. `${…}` is left
// out because clients substitute their own `${workspaceFolder}` / `${input:…}` variables before the shell runs.
const SHELL_SYNTAX = '[;&|<>`]|\\$\\(|\\$[A-Za-z_]|%[A-Za-z_]+%';

export const mcpConfigShellWrapper = defineRule({
  id: 'mcp-config-shell-wrapper',
  title: 'MCP server started through a shell script',
  description:
    'A server command that hands a script to a shell (sh -c, cmd /c, powershell -Command) runs whatever that script expands to on every client start, hidden from the command allow-lists and reviews that look at command and args.',
  // insecure-config, not command-injection: the script is written by whoever wrote the config, not injected from
  // untrusted input; the risk is that an opaque shell program runs with the user's rights on every start.
  category: 'insecure-config',
  severity: 'low',
  cwe: ['CWE-78'],
  owasp: OWASP_CONFIG,
  kinds: CONFIG_KINDS,
  keywords: ['sh', 'cmd', 'powershell', 'pwsh'],
  docs:
    'MCP clients start stdio servers with `command` and `args` and no shell. Wrapping the start in `bash -c "…"`, ' +
    '`cmd /c … && …` or `powershell -Command …` turns it into a shell program: it can chain commands, expand ' +
    'variables and download code, and tools that review or allow-list `command` see only the shell. Put the real ' +
    'program in `command` and its arguments in `args`; move setup steps into a script file in the repository. A plain ' +
    '`cmd /c npx -y pkg@1.2.3` (needed on Windows) is not reported; `-EncodedCommand` always is (medium), because ' +
    'it hides the script.',
  detect(ctx) {
    const out: RawFinding[] = [];
    for (const e of mcpServers(ctx)) {
      const s = shellScriptOf(e);
      if (!s) continue;
      const encoded =
        ['-encodedcommand', '-e', '-ec', '-enc'].includes(s.flag.value.toLowerCase()) && POWERSHELLS.has(s.shell);
      if (encoded) {
        const t = s.script ?? s.flag;
        out.push({
          start: t.start,
          end: t.end,
          severity: 'medium',
          message: `MCP server "${e.name.value}" runs an encoded PowerShell command, which hides what it does; use a plain command and args.`,
        });
      } else if (s.script && ctx.re(SHELL_SYNTAX).test(s.script.value)) {
        out.push({
          start: s.script.start,
          end: s.script.end,
          message: `MCP server "${e.name.value}" runs a ${s.shell} script on every start; put the program in "command" and its arguments in "args".`,
        });
      }
    }
    return out;
  },
  positive: [
    {
      path: '.cursor/mcp.json',
      code: '{ "mcpServers": { "x": { "command": "bash", "args": ["-lc", "«source ~/.nvm/nvm.sh && node ~/mcp/index.js»"] } } }',
    },
    {
      path: '.vscode/mcp.json',
      code: '{ "servers": { "w": { "command": "powershell", "args": ["-NoProfile", "-EncodedCommand", "«SQBFAFgAIAAoAE4AZQB3AC0ATwBiAGoAZQBjAHQAKQA=»"] } } }',
    },
    {
      path: 'claude_desktop_config.json',
      code: '{ "mcpServers": { "w": { "command": "cmd", "args": ["/c", "«set DEBUG=1 && npx»", "-y", "pkg@1.0.0"] } } }',
    },
  ],
  negative: [
    {
      path: 'claude_desktop_config.json',
      code: '{ "mcpServers": { "fs": { "command": "cmd", "args": ["/c", "npx", "-y", "@modelcontextprotocol/server-filesystem@2025.1.14", "C:\\\\Users\\\\me\\\\projects"] } } }',
      note: 'the documented Windows launch',
    },
    {
      path: '.cursor/mcp.json',
      code: '{ "mcpServers": { "a": { "command": "bash", "args": ["./scripts/start-mcp.sh"] }, "b": { "command": "sh", "args": ["-c", "exec mcp-server-git"] } } }',
    },
  ],
});

// Download-and-execute: a fetcher piped into an interpreter, or an interpreter running a fetch's output.
const PIPE_TO_SHELL =
  '(?:curl|wget|iwr|irm|invoke-webrequest|invoke-restmethod|fetch)\\b[^|]*\\|\\s*(?:sudo\\s+)?(?:sh|bash|zsh|dash|iex|invoke-expression|python3?|node|perl|ruby)\\b' +
  '|(?:sh|bash|zsh)\\s+<\\(\\s*(?:curl|wget)\\b' +
  '|(?:iex|invoke-expression)\\s*\\(?\\s*\\(?\\s*(?:iwr|irm|invoke-webrequest|invoke-restmethod|new-object\\s+net\\.webclient)' +
  '|\\$\\(\\s*(?:curl|wget)\\b';

export const mcpConfigRemoteScript = defineRule({
  id: 'mcp-config-remote-script',
  title: 'MCP server start downloads and runs a script',
  description:
    'A server command that pipes a downloaded script into a shell (curl … | sh, iwr … | iex) runs unreviewed remote code on every client start.',
  // supply-chain: the code that runs is fetched from the network at start time with no version or integrity check.
  category: 'supply-chain',
  severity: 'high',
  cwe: ['CWE-494', 'CWE-829'],
  owasp: ['A08:2021'],
  kinds: CONFIG_KINDS,
  keywords: ['curl', 'wget', 'iwr', 'irm', 'invoke-webrequest', 'invoke-restmethod', 'webclient'],
  docs:
    '`curl https://… | sh` in a server command runs whatever the remote host serves at that moment, without a ' +
    'version, checksum or review, every time the client starts the server. Install the server once from a pinned ' +
    'release (or a package with a pinned version) and start the installed binary.',
  detect(ctx) {
    const re = ctx.re(PIPE_TO_SHELL, 'i');
    const out: RawFinding[] = [];
    for (const e of mcpServers(ctx)) {
      for (const t of argvOf(e)) {
        const src = t.source;
        if (out.some((f) => f.start === src.start)) continue;
        if (re.test(src.value))
          out.push({
            start: src.start,
            end: src.end,
            message: `MCP server "${e.name.value}" downloads a script and runs it on every start; install a pinned release instead.`,
          });
      }
    }
    return out;
  },
  positive: [
    {
      path: '.cursor/mcp.json',
      code: '{ "mcpServers": { "x": { "command": "bash", "args": ["-c", "«curl -fsSL https://get.example.dev/mcp.sh | bash -s -- --stdio»"] } } }',
    },
    {
      path: '.vscode/mcp.json',
      code: '{ "servers": { "w": { "command": "powershell", "args": ["-Command", "«iwr https://x.example/i.ps1 -UseBasicParsing | iex»"] } } }',
    },
  ],
  negative: [
    {
      path: '.cursor/mcp.json',
      code: '{ "mcpServers": { "fetch": { "command": "uvx", "args": ["mcp-server-fetch==2025.1.17"] }, "c": { "command": "bash", "args": ["-c", "curl -fsS http://localhost:8080/health && exec mcp-server"] } } }',
    },
  ],
});
