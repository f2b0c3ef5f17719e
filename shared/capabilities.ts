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

/** The least a capability finding must carry to be read back: a rule id and related locations with messages. */
export interface CapabilityFindingLike {
  /** The rule that produced it. */
  ruleId: string;
  /** Related locations; the first is the tool's registration. */
  related?: readonly { file: string; range: { start: { line: number } }; message: string }[];
}

/** What one capability finding says, read from its rule id and related locations. */
export interface CapabilityFact<F extends CapabilityFindingLike> {
  /** The capability. */
  capability: Capability;
  /** The tool's name. */
  tool: string;
  /** The server it belongs to (its declared name, else its file). */
  server: string;
  /** The tool's registration. */
  registration: NonNullable<F['related']>[number];
  /** True when a tool argument controls the capability (the finding then has a related location at it). */
  argumentControlled: boolean;
}

/** Reads a capability finding (editor `Finding` or report finding alike); undefined for any other finding. */
export function capabilityFact<F extends CapabilityFindingLike>(f: F): CapabilityFact<F> | undefined {
  const capability = capabilityOfRule(f.ruleId);
  const reg = f.related?.[0];
  const who = reg && parseRegistrationMessage(reg.message);
  if (!capability || !reg || !who) return undefined;
  const argumentControlled = (f.related ?? [])
    .slice(1)
    .some((r) => /^Argument `[\s\S]*` controls it\.$/.test(r.message));
  return { capability, ...who, registration: reg, argumentControlled };
}

/** One tool of the inventory read back from findings. */
export interface InventoryToolGroup<F extends CapabilityFindingLike> {
  /** The tool's name. */
  tool: string;
  /** Its registration (the first related location of its findings). */
  registration: NonNullable<F['related']>[number];
  /** Its capabilities in `CAPABILITIES` order, each with its findings and whether an argument controls any. */
  capabilities: { capability: Capability; argumentControlled: boolean; findings: F[] }[];
}

/** One server of the inventory read back from findings. */
export interface InventoryServerGroup<F extends CapabilityFindingLike> {
  /** The server's name. */
  server: string;
  /** Its tools, by registration file and line. */
  tools: InventoryToolGroup<F>[];
}

/**
 * Groups capability findings by server and tool, the shape of the editor's Tools group and the HTML report's Tools
 * section. Other findings are ignored; servers come sorted by name.
 */
export function groupInventory<F extends CapabilityFindingLike>(findings: readonly F[]): InventoryServerGroup<F>[] {
  const servers = new Map<
    string,
    Map<
      string,
      { reg: InventoryToolGroup<F>['registration']; byCap: Map<Capability, F[]>; controlled: Set<Capability> }
    >
  >();
  for (const f of findings) {
    const fact = capabilityFact(f);
    if (!fact) continue;
    let tools = servers.get(fact.server);
    if (!tools) servers.set(fact.server, (tools = new Map()));
    const key = `${fact.registration.file}\u0000${fact.tool}`;
    let t = tools.get(key);
    if (!t) tools.set(key, (t = { reg: fact.registration, byCap: new Map(), controlled: new Set() }));
    const list = t.byCap.get(fact.capability);
    if (list) list.push(f);
    else t.byCap.set(fact.capability, [f]);
    if (fact.argumentControlled) t.controlled.add(fact.capability);
  }
  const cmp = (a: string, b: string) => (a < b ? -1 : a > b ? 1 : 0);
  return [...servers.entries()]
    .sort((a, b) => cmp(a[0], b[0]))
    .map(([server, tools]) => ({
      server,
      tools: [...tools.entries()]
        .map(([key, t]) => ({
          tool: key.slice(key.indexOf('\u0000') + 1),
          registration: t.reg,
          capabilities: CAPABILITIES.filter((c) => t.byCap.has(c)).map((c) => ({
            capability: c,
            argumentControlled: t.controlled.has(c),
            findings: t.byCap.get(c)!,
          })),
        }))
        .sort(
          (a, b) =>
            cmp(a.registration.file, b.registration.file) ||
            a.registration.range.start.line - b.registration.range.start.line ||
            cmp(a.tool, b.tool),
        ),
    }));
}

/** The one-line summary of a tool's capabilities: "runs shell · reads files · argument-controlled". */
export function capabilitySummary(caps: readonly { capability: Capability; argumentControlled: boolean }[]): string {
  const parts = caps.map((c) => CAPABILITY_LABEL[c.capability]);
  if (caps.some((c) => c.argumentControlled)) parts.push('argument-controlled');
  return parts.join(' · ');
}
