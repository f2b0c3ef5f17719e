import { codeFactsOf } from '../../analysis/sinks';
import {
  calleeOf,
  enclosingFunction,
  positionalArgs,
  propertyName,
  receiverOf,
  stripAwaitAndCasts,
} from '../../analysis/ast';
import { valueOfBinding } from '../../analysis/sinks/facts';
import type { TSNode } from '../../analysis/parse';
import { defineRule, type RawFinding } from '../../core/rule';

const docs =
  'Finds directory containment checks written as a bare string prefix test, `resolved.startsWith(allowedDir)`, where the prefix does not end with a path separator. `/data/allowed_evil/secret` starts with `/data/allowed`, so a caller who can name (or create, or symlink) a sibling directory whose name extends an allowed one gets past the check; this is how the reference filesystem MCP server was bypassed (CVE-2025-53110, and CVE-2025-53109 for the symlink target). Compare against the directory plus a separator and accept the directory itself separately: `p === dir || p.startsWith(dir + path.sep)`, or use `path.relative(dir, p)` and reject results that start with `..` or are absolute.';

/** Names of values that hold the file-system path being checked (the receiver of the prefix test). */
const CHECKED_PATH = /path|file|resolved|real|normali[sz]ed|absolute|target|dest|requested|full/i;
/** Names of values that hold an allowed directory (the prefix). */
const ROOT_DIR = /dir|root|base|allowed|workspace|folder|sandbox|home/i;
/** A name or bound value that already ends with a separator: `root + path.sep`, `` `${root}/` ``, `rootWithSep`. */
const ENDS_WITH_SEP = /\bsep\b|['"`][\\/]+['"`]\s*$|[\\/]`\s*$|withsep|trailing|slash/i;
/** Names of values or functions whose result is an access decision. */
const DECISION_NAME = /allowed|inside|within|contained|permitted|valid|safe/i;
const CHECK_FUNCTION = /^(?:is|check|validate|ensure|assert)\w*(?:Path|Allowed|Within|Inside|Contained|Safe)/i;

/**
 * True when the prefix test decides access, which is what separates a containment check from display logic
 * (`p.startsWith(root) ? path.relative(root, p) : p`): a negated test in an `if` that throws or returns, the
 * callback of `.some`/`.every` (the "under one of the allowed directories" loop), a value named like a permission,
 * or the result of a checking function.
 */
function decidesAccess(call: TSNode): boolean {
  let inner: TSNode = call;
  for (let n: TSNode | null = call.parent; n; inner = n, n = n.parent) {
    if (n.type === 'parenthesized_expression' && n.parent?.type === 'if_statement') {
      const consequence = n.parent.childForFieldName('consequence');
      const negated = inner.type === 'unary_expression' && inner.text.startsWith('!');
      return negated && !!consequence && /^\{?\s*(?:throw|return)\b/.test(consequence.text);
    }
    if (n.type === 'arrow_function' || n.type === 'function_expression') {
      const outer = n.parent?.parent;
      const callee = outer?.type === 'call_expression' ? calleeOf(outer) : null;
      return !!callee && /^(?:some|every)$/.test(propertyName(callee) ?? '');
    }
    if (n.type === 'variable_declarator') return DECISION_NAME.test(n.childForFieldName('name')?.text ?? '');
    if (n.type === 'return_statement') {
      const fn = enclosingFunction(n);
      const name = fn?.childForFieldName('name')?.text ?? fn?.parent?.childForFieldName('name')?.text ?? '';
      return CHECK_FUNCTION.test(name);
    }
    if (n.type === 'statement_block' || n.type === 'program' || n.type === 'if_statement') return false;
  }
  return false;
}

/** The name a node is read through: `dir`, `this.rootDir` → `rootDir`. */
function nameOf(n: TSNode): string {
  return n.type === 'identifier' ? n.text : (propertyName(n) ?? n.text);
}

/** Directory containment checked with a bare string prefix (JavaScript and TypeScript). */
export const jsPathPrefixContainment = defineRule({
  id: 'js-path-prefix-containment',
  title: 'Directory containment checked with a bare string prefix',
  description:
    'A path checked with startsWith(dir) without a trailing separator also passes for sibling directories such as /allowed_evil next to /allowed.',
  category: 'path-traversal',
  severity: 'high',
  cwe: ['CWE-22'],
  owasp: ['A01:2021', 'MCP03'],
  kinds: ['js'],
  keywords: ['startsWith'],
  docs,
  detect(ctx) {
    const facts = codeFactsOf(ctx);
    if (!facts || facts.lang !== 'js') return [];
    const out: RawFinding[] = [];
    for (const call of facts.calls) {
      if (call.type !== 'call_expression') continue;
      const callee = calleeOf(call);
      if (!callee || propertyName(callee) !== 'startsWith') continue;
      const recv = receiverOf(call);
      const args = positionalArgs(call);
      if (!recv || args.length !== 1) continue;
      const prefix = stripAwaitAndCasts(args[0]!);
      // Only a bare name or member: a concatenation, a template or a literal shows what the prefix ends with.
      if (prefix.type !== 'identifier' && prefix.type !== 'member_expression') continue;
      const prefixName = nameOf(prefix);
      if (!ROOT_DIR.test(prefixName) || ENDS_WITH_SEP.test(prefixName)) continue;
      if (!CHECKED_PATH.test(nameOf(stripAwaitAndCasts(recv)))) continue;
      // `const base = path.resolve(dir) + path.sep` earlier in the file: the prefix does end with a separator.
      const bound = prefix.type === 'identifier' ? (facts.bindings.get(prefix.text) ?? []) : [];
      if (bound.some((b) => b.startIndex < call.startIndex && ENDS_WITH_SEP.test(valueOfBinding(b)?.text ?? '')))
        continue;
      if (!decidesAccess(call)) continue;
      out.push({
        start: call.startIndex,
        end: call.endIndex,
        message: `\`${recv.text}\` is checked against \`${prefix.text}\` as a plain string prefix: a sibling directory such as \`${prefixName}_evil\` passes too.`,
      });
    }
    return out;
  },
  positive: [
    {
      path: 'fs-server.ts',
      code: 'import path from "node:path";\nconst roots = process.argv.slice(2).map((d) => path.resolve(d));\nexport function check(requested: string): string {\n  const resolvedPath = path.resolve(requested);\n  const ok = roots.some((dir) => «resolvedPath.startsWith(dir)»);\n  if (!ok) throw new Error("denied");\n  return resolvedPath;\n}\n',
      note: 'the allowed-directories loop of the filesystem server before its fix',
    },
    {
      path: 'guard.js',
      code: 'const path = require("path");\nfunction open(rel) {\n  const fullPath = path.resolve(rel);\n  const workspaceDir = path.resolve(".");\n  if (!«fullPath.startsWith(workspaceDir)») {\n    throw new Error("escapes the workspace");\n  }\n  return fullPath;\n}\n',
    },
  ],
  negative: [
    {
      path: 'fixed.ts',
      code: 'import path from "node:path";\nexport function inside(filePath: string, dir: string): boolean {\n  if (filePath === dir) return true;\n  return filePath.startsWith(dir + path.sep);\n}\nconst isAllowed = (p: string, roots: string[]) => roots.some((rootDir) => p === rootDir || p.startsWith(`${rootDir}${path.sep}`));\n',
      note: 'the fixed comparison: directory plus separator',
    },
    {
      path: 'sep.ts',
      code: 'import path from "node:path";\nconst baseDir = path.resolve(process.env.ROOT ?? ".") + path.sep;\nexport function guard(resolvedPath: string) {\n  if (!resolvedPath.startsWith(baseDir)) throw new Error("outside");\n  const rootWithSep = baseDir;\n  if (!resolvedPath.startsWith(rootWithSep)) throw new Error("outside");\n}\n',
      note: 'the prefix was bound with a trailing separator',
    },
    {
      path: 'display.ts',
      code: 'import path from "node:path";\nexport function label(filePath: string, rootDir: string): string {\n  const shown = filePath.startsWith(rootDir) ? path.relative(rootDir, filePath) : filePath;\n  if (filePath.startsWith("~/")) return filePath;\n  if (url.startsWith(baseUrl)) return url;\n  return shown;\n}\n',
      note: 'display logic, a literal prefix and a URL prefix are not containment checks',
    },
  ],
});
