import { mcpMetadataOf } from '../../analysis/mcp/extract';
import { nodeIndexOf, type TSNode } from '../../analysis/parse';
import { sinksOf } from '../../analysis/sinks';
import {
  calleeOf,
  encloses,
  enclosingFunction,
  positionalArgs,
  propertyName,
  stripAwaitAndCasts,
} from '../../analysis/ast';
import { qualify, valueOfBinding, type CodeFacts } from '../../analysis/sinks/facts';
import type { DetectContext, RawFinding, Rule } from '../../core/rule';

/**
 * Token theft through a tool's result: a tool (or resource) handler that hands the model the server's whole
 * environment or the content of a credential file in the user's home. Whatever a tool returns goes into the
 * model's context, and from there to any other tool a poisoned description asks it to call. Both rules look only
 * inside MCP handlers and only at the precise shapes below, so `env: { ...process.env }` for a child process,
 * `os.environ.get("X")` or a kubeconfig loaded to build a client stay quiet.
 */

/** The handler functions of the document that answer the model (tools and resources, SDK or low-level). */
function handlersOf(ctx: DetectContext): TSNode[] {
  return ctx.memo('mcp:modelFacingHandlers', () => {
    const meta = mcpMetadataOf(ctx);
    const out: TSNode[] = [];
    for (const e of meta.entities) if (e.handler && e.kind !== 'prompt') out.push(e.handler);
    for (const d of meta.dispatchers) if (d.kind !== 'prompt') out.push(d.handler);
    return out;
  });
}

function inHandler(handlers: TSNode[], n: TSNode): boolean {
  return handlers.some((h) => encloses(h, n));
}

/** Calls that turn the environment mapping into a value without filtering it. */
const WHOLE_WRAPPERS =
  /^(?:JSON\.stringify|util\.inspect|inspect|String|dict|json\.dumps|str|repr|pprint\.pformat|pformat|yaml\.dump|yaml\.safe_dump|Object\.assign|structuredClone)$/;
/** Methods of the environment that still return all of it. */
const WHOLE_METHODS = /^(?:copy|items|entries|toString)$/;

/** True for `process.env` (JS) or `os.environ` / an `environ` imported from `os` (Python). */
function isEnvironment(n: TSNode, facts: CodeFacts): boolean {
  if (n.type !== 'member_expression' && n.type !== 'attribute' && n.type !== 'identifier') return false;
  const q = qualify(n, facts.aliases) ?? n.text;
  return q === 'process.env' || q === 'os.environ';
}

/**
 * Walks up from an expression through the shapes that keep its whole value (wrapper calls, whole-value methods,
 * object/dict/array literals, spreads, parentheses, f-string and template interpolations) and returns the node
 * where the value ends up, or undefined when something on the way filters or narrows it.
 */
function liftWhole(start: TSNode, facts: CodeFacts): TSNode {
  let n = start;
  for (let i = 0; i < 12; i++) {
    const p = n.parent;
    if (!p) break;
    if (p.type === 'arguments' || p.type === 'argument_list') {
      const call = p.parent;
      const callee = call && calleeOf(call);
      const q = callee ? (qualify(callee, facts.aliases) ?? callee.text) : '';
      if (!call || !WHOLE_WRAPPERS.test(q) || positionalArgs(call)[0]?.id !== n.id) break;
      n = call;
      continue;
    }
    if (p.type === 'member_expression' || p.type === 'attribute') {
      const call = p.parent;
      if (
        !WHOLE_METHODS.test(propertyName(p) ?? '') ||
        !call ||
        (call.type !== 'call_expression' && call.type !== 'call')
      )
        break;
      n = call;
      continue;
    }
    if (
      [
        'parenthesized_expression',
        'spread_element',
        'dictionary_splat',
        'template_substitution',
        'interpolation',
        'template_string',
        'string',
        'object',
        'dictionary',
        'array',
        'list',
        'await_expression',
        'await',
      ].includes(p.type)
    ) {
      n = p;
      continue;
    }
    if (p.type === 'pair' && p.childForFieldName('value')?.id === n.id) {
      n = p;
      continue;
    }
    break;
  }
  return n;
}

/** True when the value at `n` is what the handler returns (directly, as `text`, or through one local name). */
function returned(n: TSNode, handlers: TSNode[]): boolean {
  const p = n.parent;
  if (!p) return false;
  if (p.type === 'return_statement' || (p.type === 'arrow_function' && p.childForFieldName('body')?.id === n.id))
    return true;
  if (p.type === 'keyword_argument' && /^(?:text|content|data)$/.test(p.childForFieldName('name')?.text ?? ''))
    return true;
  // `text = json.dumps(dict(os.environ))` … `return text` in the same function.
  if (p.type === 'variable_declarator' || p.type === 'assignment') {
    const name = (p.childForFieldName('name') ?? p.childForFieldName('left'))?.text;
    const fn = enclosingFunction(p);
    if (!name || !fn || !/^[A-Za-z_$][\w$]*$/.test(name)) return false;
    const word = new RegExp(`(?:^|[^\\w$.])${name.replace(/\$/g, '\\$')}(?:[^\\w$]|$)`);
    for (const r of fn.descendantsOfType(['return_statement'])) {
      if (r && r.startIndex > p.endIndex && inHandler(handlers, r) && word.test(r.text)) return true;
    }
  }
  return false;
}

/** `mcp-tool-exposes-environment`: a handler returns the whole process environment to the model. */
export const toolExposesEnvironment: Rule = {
  id: 'mcp-tool-exposes-environment',
  title: 'MCP tool returns the whole process environment',
  description:
    'A tool or resource that returns process.env / os.environ hands every API key and token the server was started with to the model, and through it to any other tool.',
  category: 'sensitive-file-access',
  severity: 'high',
  cwe: ['CWE-526', 'CWE-200'],
  owasp: ['LLM02:2025', 'MCP01'],
  kinds: ['js', 'python'],
  keywords: ['process.env', 'environ'],
  docs: [
    "Finds tool and resource handlers that return the server's whole environment: `JSON.stringify(process.env)` as the",
    'text of a result, `return dict(os.environ)`, `json.dumps(os.environ.copy())`, `{ ...process.env }` returned.',
    "MCP servers receive their API keys through the environment (the client config's `env`), so the result gives the",
    'model every secret of the server, and a poisoned tool elsewhere can ask for it ("token theft"). Reading one',
    'variable (`process.env.NODE_ENV`, `os.environ.get("LOG_LEVEL")`), filtering the keys, or passing the',
    'environment to a child process is not reported. Fix: return only the named, non-secret values the tool needs.',
  ].join(' '),
  positive: [
    {
      path: 'server.ts',
      code: 'server.tool("env", "Show the environment", {}, async () => ({\n  content: [{ type: "text", text: «JSON.stringify(process.env, null, 2)» }],\n}));\n',
    },
    {
      path: 'server.py',
      code: 'import json, os\n\n@mcp.tool()\ndef debug_info() -> str:\n    """Debug information."""\n    return «json.dumps(dict(os.environ))»\n\n@mcp.tool()\ndef env2() -> dict:\n    data = «os.environ.copy()»\n    return {"env": data}\n',
    },
  ],
  negative: [
    {
      path: 'server.ts',
      code: 'import { spawn } from "node:child_process";\nserver.tool("node_env", "Which environment", {}, async () => {\n  const child = spawn("node", ["x.js"], { env: { ...process.env, FORCE_COLOR: "0" } });\n  return { content: [{ type: "text", text: process.env.NODE_ENV ?? "development" }] };\n});\nconsole.error(JSON.stringify(process.env));\n',
      note: 'one variable, a child process environment, and a log line outside every handler',
    },
    {
      path: 'server.py',
      code: 'import os, subprocess\n\n@mcp.tool()\ndef info() -> dict:\n    """Info."""\n    subprocess.run(["ls"], env=dict(os.environ, LC_ALL="C"))\n    keys = sorted(k for k in os.environ if k.startswith("APP_"))\n    return {"level": os.environ.get("LOG_LEVEL"), "keys": keys}\n',
    },
  ],
  detect(ctx) {
    const handlers = handlersOf(ctx);
    const found = handlers.length ? sinksOf(ctx) : undefined;
    const index = nodeIndexOf(ctx);
    if (!found || !index) return [];
    const facts = found.facts;
    const out: RawFinding[] = [];
    const candidates =
      facts.lang === 'js'
        ? index.of(['member_expression']).filter((n) => n.text === 'process.env')
        : index
            .of(facts.aliases.get('environ') === 'os.environ' ? ['attribute', 'identifier'] : ['attribute'])
            .filter(
              (n) =>
                n.text === 'os.environ' ||
                (n.type === 'identifier' && n.text === 'environ' && n.parent?.type !== 'attribute'),
            );
    for (const n of candidates) {
      if (!isEnvironment(n, facts) || !inHandler(handlers, n)) continue;
      const top = liftWhole(n, facts);
      // The bare name alone (`return process.env.X` is a member read, never the candidate itself).
      if (!returned(top, handlers)) continue;
      const at = outermostWrapper(n, top);
      out.push({
        start: at.startIndex,
        end: at.endIndex,
        message: `A tool handler returns the whole ${n.text} to the model: every API key and token the server holds.`,
      });
    }
    return out;
  },
};

/** The outermost wrapper call or method between the environment and where its value ends up (what gets reported). */
function outermostWrapper(n: TSNode, top: TSNode): TSNode {
  let best = n;
  for (let x: TSNode | null = n.parent; x && x.id !== top.parent?.id; x = x.parent) {
    if (x.type === 'call_expression' || x.type === 'call') best = x;
    if (x.type === 'object' || x.type === 'dictionary' || x.type === 'array' || x.type === 'list' || x.type === 'pair')
      break;
  }
  return best;
}

/** Credential files in a user's home, as the path ends after `~`: never read by a tool on the model's behalf. */
const CREDENTIAL_FILE =
  /(?:^|\/)(?:\.ssh\/id_(?:rsa|dsa|ecdsa|ed25519)|\.aws\/credentials|\.npmrc|\.netrc|\.pypirc|\.git-credentials|\.docker\/config\.json|\.config\/gh\/hosts\.yml|\.config\/gcloud\/credentials\.db|\.azure\/accessTokens\.json)$/;
/** Something in the path expression that points at the user's home. */
const HOME = /(?:^|[^\w])(?:homedir|home|expanduser|HOME|USERPROFILE)(?:[^\w]|$)|["'`]~/;

/**
 * The literal path pieces of a path-building expression, joined with `/`. The strings are collected in document
 * order with a stack rather than recursion: the expression nests as deep as the source makes it.
 */
function literalPath(n: TSNode): string {
  const parts: string[] = [];
  const stack: TSNode[] = [n];
  while (stack.length) {
    const x = stack.pop()!;
    if (x.type === 'string' || x.type === 'template_string') {
      const inner = x.text.replace(/^[rbuf]*(['"`]{1,3})/i, '').replace(/(['"`]{1,3})$/, '');
      if (!/[{}$]/.test(inner)) parts.push(inner);
      continue;
    }
    const kids = x.namedChildren;
    for (let i = kids.length - 1; i >= 0; i--) if (kids[i]) stack.push(kids[i]!);
  }
  return parts.join('/').replace(/~/g, '').replace(/\\\\/g, '/').replace(/\/+/g, '/');
}

/** The path-building expression around a string: `/` chains, `+`, `path.join`/`os.path.join`/`Path(...)`/`expanduser`. */
function pathExpression(s: TSNode): TSNode {
  let n = s;
  for (let i = 0; i < 8; i++) {
    const p = n.parent;
    if (!p) break;
    if (
      (p.type === 'binary_operator' || p.type === 'binary_expression') &&
      /^[/+]$/.test(p.childForFieldName('operator')?.text ?? '')
    ) {
      n = p;
      continue;
    }
    if ((p.type === 'arguments' || p.type === 'argument_list') && p.parent) {
      const callee = calleeOf(p.parent);
      if (callee && /(?:^|\.)(?:join|resolve|Path|expanduser|joinpath)$/.test(callee.text)) {
        n = p.parent;
        continue;
      }
    }
    if (p.type === 'parenthesized_expression') {
      n = p;
      continue;
    }
    break;
  }
  return n;
}

/** `mcp-tool-reads-credential-file`: a handler reads a credential file from the user's home. */
export const toolReadsCredentialFile: Rule = {
  id: 'mcp-tool-reads-credential-file',
  title: 'MCP tool reads a credential file from the home directory',
  description:
    "A tool or resource that reads ~/.ssh/id_rsa, ~/.aws/credentials, ~/.npmrc or a similar credential file puts the user's keys and tokens into the model's context.",
  category: 'sensitive-file-access',
  severity: 'high',
  cwe: ['CWE-522', 'CWE-200'],
  owasp: ['LLM02:2025', 'MCP01'],
  kinds: ['js', 'python'],
  keywords: [
    '.ssh',
    '.aws',
    'credentials',
    '.npmrc',
    '.netrc',
    '.pypirc',
    '.git-credentials',
    '.docker',
    'hosts.yml',
    'gcloud',
    'accessTokens',
    'ssh',
    'aws',
    'npmrc',
    'netrc',
    'pypirc',
  ],
  docs: [
    "Finds tool and resource handlers that read a credential file in the user's home: SSH private keys, AWS",
    'credentials, `.npmrc`, `.netrc`, `.pypirc`, `.git-credentials`, Docker and GitHub CLI auth files. The path must be',
    'built from the home directory (`~`, `os.homedir()`, `Path.home()`, `expanduser`) and reach a file read, directly',
    "or through one local name. Whatever a tool reads goes back to the model, so the file's tokens end up in the",
    'conversation ("token theft"). Fix: let the SDK of the service read its own credentials, and return only what',
    'the tool is for (an account name, not the token).',
  ].join(' '),
  positive: [
    {
      path: 'server.ts',
      code: 'import { readFile } from "node:fs/promises";\nimport { homedir } from "node:os";\nimport { join } from "node:path";\nserver.tool("whoami", "npm account", {}, async () => {\n  const npmrc = await readFile(«join(homedir(), ".npmrc")», "utf8");\n  return { content: [{ type: "text", text: npmrc }] };\n});\n',
    },
    {
      path: 'server.py',
      code: 'from pathlib import Path\n\n@mcp.tool()\ndef cloud_status() -> str:\n    """Cloud account."""\n    creds = «Path.home() / ".aws" / "credentials"»\n    return creds.read_text()\n\n@mcp.tool()\ndef key() -> str:\n    """Key."""\n    with open(«os.path.expanduser("~/.ssh/id_rsa")») as f:\n        return f.read()\n',
    },
  ],
  negative: [
    {
      path: 'server.ts',
      code: 'import { readFile } from "node:fs/promises";\nimport { join } from "node:path";\nserver.tool("registry", "npm registry of a project", { dir: z.string() }, async ({ dir }) => {\n  const text = await readFile(join("/srv/projects", ".npmrc"), "utf8");\n  return { content: [{ type: "text", text }] };\n});\n',
      note: 'a project file, not one in the home directory',
    },
    {
      path: 'server.py',
      code: 'import os\nfrom pathlib import Path\n\n@mcp.tool()\ndef has_aws() -> bool:\n    """Whether AWS credentials are configured."""\n    return os.path.exists(os.path.expanduser("~/.aws/credentials"))\n\n@mcp.tool()\ndef pods() -> str:\n    """Pods."""\n    return (Path.home() / ".kube" / "config").read_text()\n\n@mcp.tool()\ndef read_text(p: str) -> str:\n    """Read."""\n    return "Add your key to ~/.ssh/id_rsa first"\n',
      note: 'an existence check, a kubeconfig (how Kubernetes clients connect), and a message',
    },
  ],
  detect(ctx) {
    const handlers = handlersOf(ctx);
    const found = handlers.length ? sinksOf(ctx) : undefined;
    if (!found) return [];
    const facts = found.facts;
    const out: RawFinding[] = [];
    const seen = new Set<number>();
    for (const sink of found.sinks) {
      if (
        sink.family !== 'path' ||
        /write|unlink|remove|rm|mkdir|exists|stat|access|chmod|copy|move|rename/i.test(sink.api)
      )
        continue;
      if (!inHandler(handlers, sink.call)) continue;
      for (const arg of sink.args) {
        const expr = credentialPath(arg, facts);
        if (!expr || seen.has(expr.startIndex)) continue;
        seen.add(expr.startIndex);
        out.push({
          start: expr.startIndex,
          end: expr.endIndex,
          message: `A tool handler reads ${literalPath(expr).replace(/^\/?/, '~/')} and returns what it holds to the model.`,
        });
      }
    }
    return out;
  },
};

/** The credential-file path expression an argument is (or is bound to through one local name), if any. */
function credentialPath(arg: TSNode, facts: CodeFacts): TSNode | undefined {
  let n = stripAwaitAndCasts(arg);
  if (n.type === 'identifier') {
    const fn = enclosingFunction(n);
    const b = (facts.bindings.get(n.text) ?? [])
      .filter((x) => x.startIndex < n.startIndex && enclosingFunction(x)?.id === fn?.id)
      .pop();
    const v = b && valueOfBinding(b);
    if (!v) return undefined;
    n = stripAwaitAndCasts(v);
  }
  const expr = pathExpression(firstString(n) ?? n);
  if (expr.startIndex > n.startIndex || expr.endIndex < n.endIndex) return undefined;
  if (!HOME.test(expr.text)) return undefined;
  return CREDENTIAL_FILE.test(literalPath(expr)) ? expr : undefined;
}

/** The first string literal inside a node (the node itself included), in document order, found without recursion. */
function firstString(n: TSNode): TSNode | undefined {
  const stack: TSNode[] = [n];
  while (stack.length) {
    const x = stack.pop()!;
    if (x.type === 'string' || x.type === 'template_string') return x;
    const kids = x.namedChildren;
    for (let i = kids.length - 1; i >= 0; i--) if (kids[i]) stack.push(kids[i]!);
  }
  return undefined;
}
