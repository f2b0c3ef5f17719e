/**
 * The capability inventory's vocabulary, shared by the server (the capability rules, `mcp-sentinel tools`, the HTML
 * report, the CodeLens) and the client (the Tools group of the findings tree): which powers a tool can have, how
 * each is named, and how a capability finding says which tool it belongs to.
 *
 * A capability finding is inventory, not a defect: its rule id is `mcp-capability-<capability>`, its category is
 * `capability`, and its first related location is the tool's registration, whose message is written and read only
 * by the two functions below. The editor groups those findings by server and tool without parsing anything else.
 */
import type { Finding } from './types';

/** What a tool's code can do. */
export type Capability =
  'shell' | 'process' | 'code-eval' | 'file-read' | 'file-write' | 'network' | 'sql' | 'env-credentials' | 'send-data';

/** Every capability, in the order reports list them (most powerful first). */
export const CAPABILITIES: readonly Capability[] = [
  'shell',
  'process',
  'code-eval',
  'file-write',
  'file-read',
  'sql',
  'network',
  'send-data',
  'env-credentials',
];

/** How each capability reads in a sentence: "tool `run` runs shell commands". */
export const CAPABILITY_VERB: Record<Capability, string> = {
  shell: 'runs shell commands',
  process: 'spawns processes',
  'code-eval': 'evaluates code',
  'file-read': 'reads files',
  'file-write': 'writes or deletes files',
  network: 'fetches URLs',
  sql: 'executes SQL',
  'env-credentials': 'reads environment variables or credentials',
  'send-data': 'sends data out',
};

/** The short label of a CodeLens or a tree item: "runs shell · reads files". */
export const CAPABILITY_LABEL: Record<Capability, string> = {
  shell: 'runs shell',
  process: 'spawns processes',
  'code-eval': 'evaluates code',
  'file-read': 'reads files',
  'file-write': 'writes files',
  network: 'fetches URLs',
  sql: 'runs SQL',
  'env-credentials': 'reads secrets',
  'send-data': 'sends data out',
};

/** The rule id that reports a capability. */
export function capabilityRuleId(c: Capability): string {
  return `mcp-capability-${c}`;
}

/** The capability a rule id reports, when it is a capability rule. */
export function capabilityOfRule(ruleId: string): Capability | undefined {
  const m = /^mcp-capability-(.+)$/.exec(ruleId);
  return m && (CAPABILITIES as readonly string[]).includes(m[1]!) ? (m[1] as Capability) : undefined;
}

/**
 * True for an inventory finding: a capability finding at info severity. It describes what a tool can do, not a
 * defect, so it never fails a build whatever `--fail-on` says (a project that raises a capability rule's severity
 * in its config asks for it to gate, and then it does).
 */
export function isInventoryFinding(f: Pick<Finding, 'category' | 'severity'>): boolean {
  return f.category === 'capability' && f.severity === 'info';
}

/** The message of a capability finding's related location at the tool's registration. */
export function registrationMessage(tool: string, server: string): string {
  return `Tool \`${tool}\` of server \`${server}\` is registered here.`;
}

/** The tool and server a registration message names (the inverse of `registrationMessage`). */
export function parseRegistrationMessage(message: string): { tool: string; server: string } | undefined {
  const m = /^Tool `([\s\S]*)` of server `([\s\S]*)` is registered here\.$/.exec(message);
  return m ? { tool: m[1]!, server: m[2]! } : undefined;
}

/** The message of a capability finding's related location at the tool argument that controls the capability. */
export function controlMessage(param: string): string {
  return `Argument \`${param}\` controls it.`;
}

/** What one capability finding says, read from its rule id and related locations; undefined for other findings. */
export interface CapabilityFact {
  /** The capability. */
  capability: Capability;
  /** The tool's name. */
  tool: string;
  /** The server it belongs to (its declared name, else its file). */
  server: string;
  /** The tool's registration. */
  registration: NonNullable<Finding['related']>[number];
  /** True when a tool argument controls the capability (the finding then has a related location at it). */
  argumentControlled: boolean;
}

/** Reads a capability finding; undefined for any other finding. */
export function capabilityFact(f: Finding): CapabilityFact | undefined {
  const capability = capabilityOfRule(f.ruleId);
  const reg = f.related?.[0];
  const who = reg && parseRegistrationMessage(reg.message);
  if (!capability || !reg || !who) return undefined;
  const argumentControlled = (f.related ?? [])
    .slice(1)
    .some((r) => /^Argument `[\s\S]*` controls it\.$/.test(r.message));
  return { capability, ...who, registration: reg, argumentControlled };
}
