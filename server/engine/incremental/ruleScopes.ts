/**
 * The rules whose findings an inert edit (units.ts: comments, blank lines, literals bound to names nobody mentions)
 * cannot change, other than by moving them: they read the structure of the file (MCP metadata, tool handlers, calls
 * and sinks, the capability inventory, the workspace facts), never its literals or its text at large. The incremental
 * scan (cache.ts) reuses their last findings across such an edit and runs every other rule again.
 *
 * The list is kept here rather than as a field of each rule so that the rule modules stay untouched, and a rule that
 * is not listed (every rule added later, custom rules, test rules) is simply run again: the safe default. A wrong
 * entry is caught by the incremental-equivalence property test, which drives inert edits (secrets, URLs, Unicode,
 * directive comments) between edits of handlers, tools and helpers and compares every scan with a full one.
 *
 * The generic sink rules (command, code, SQL, SSRF, deserialization, path containment) read calls, their arguments
 * and the flows into them; the one comment they read, a bundler's module marker, is never inert (units.ts).
 *
 * Left out on purpose: the secret, URL and crypto-key rules (they read every literal), the TLS, CORS and other crypto
 * rules (not audited). `mcp-served-data-injection` and `mcp-output-hidden-text` are structural only outside served
 * data folders (`servedDataReason`), where they read the module-level constants.
 */
import { servedDataReason } from '../../analysis/modelText/dataFiles';

/** True when an inert edit of the file at `path` can only move the findings of rule `id`. */
export function isStructural(id: string, path: string): boolean {
  return STRUCTURAL_RULES.has(id) || (SERVED_DATA_RULES.has(id) && servedDataReason(path) === undefined);
}

/**
 * True when rule `id` judges each tool on its own: its findings inside a tool's registration depend only on that
 * registration and the rest of the file outside the other registrations (toolEdit.ts analyses an edited tool in a
 * document where the other registrations are blanked out). The structural rules left out combine tools (the lethal
 * trifecta, shadowing, rug pulls, drift against the pin file, suspicious names); across a tool edit their findings
 * are moved when the tool's digest is unchanged.
 */
export function isToolLocal(id: string): boolean {
  return TOOL_LOCAL_RULES.has(id);
}

/** The structural rules that judge each tool, handler or call on its own. */
const PER_TOOL_RULES = [
  // Tool, prompt and resource metadata (names, descriptions, parameters, instructions): read from registrations.
  'mcp-instruction-override',
  'mcp-concealment',
  'mcp-pseudo-tag',
  'mcp-coercive-ordering',
  'mcp-preference-manipulation',
  'mcp-false-authority',
  'mcp-sensitive-file-request',
  'mcp-exfiltration-parameter',
  'mcp-hidden-behaviour',
  'mcp-hidden-unicode',
  'mcp-ansi-escape',
  // Handlers: what they return, what they reach.
  'mcp-output-injection',
  'mcp-capability-shell',
  'mcp-capability-process',
  'mcp-capability-code-eval',
  'mcp-capability-file-write',
  'mcp-capability-file-read',
  'mcp-capability-sql',
  'mcp-capability-network',
  'mcp-capability-send-data',
  'mcp-capability-env-credentials',
  'js-tool-path-traversal',
  'py-tool-path-traversal',
  // Generic sinks: calls and the flows into them.
  'js-command-injection',
  'py-command-injection',
  'js-code-injection',
  'py-code-injection',
  'js-sql-injection',
  'py-sql-injection',
  'js-tool-ssrf',
  'py-tool-ssrf',
  'js-unsafe-deserialization',
  'py-unsafe-deserialization',
  'js-path-prefix-containment',
];

/** The structural rules that combine tools: every tool's metadata, capabilities or module state. */
const COMBINING_RULES = [
  'mcp-tool-shadowing',
  'mcp-suspicious-tool-name',
  'mcp-tool-definition-drift',
  'mcp-rug-pull-pattern',
  'mcp-lethal-trifecta',
];

/** The rules that read the module-level constants of served data files, and only the handlers' texts elsewhere. */
const SERVED_DATA_RULES: ReadonlySet<string> = new Set(['mcp-served-data-injection', 'mcp-output-hidden-text']);

/** The rules whose findings an inert edit can only move, in any file. */
const STRUCTURAL_RULES: ReadonlySet<string> = new Set([...PER_TOOL_RULES, ...COMBINING_RULES]);

/** The rules a tool edit runs on the reduced documents (the served-data ones only where they are structural). */
const TOOL_LOCAL_RULES: ReadonlySet<string> = new Set([...PER_TOOL_RULES, ...SERVED_DATA_RULES]);
