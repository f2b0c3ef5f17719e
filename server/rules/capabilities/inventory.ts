import {
  CAPABILITIES,
  CAPABILITY_VERB,
  controlMessage,
  registrationMessage,
  type Capability,
} from '../../../shared/capabilities';
import { capabilitiesOf } from '../../analysis/capabilities';
import { defineRule, type RawFinding, type Rule, type RuleSample } from '../../core/rule';
import { maskedName } from '../secretDetector';
import { CAPABILITY_SAMPLES } from './samples';

/**
 * The capability inventory as findings: one info rule per capability, reported at the call that exercises it, once
 * per (tool, capability, call). The first related location is the tool's registration (its message is read back by
 * the editor's Tools group and the CodeLens, see shared/capabilities.ts); a second one, when present, is the tool
 * argument that controls the capability. Info findings are inventory: they never fail a build.
 */

/**
 * The rule ids, spelled out so a reader finds each rule by its id (`capabilityRuleId` in shared/capabilities.ts
 * builds the same ids; a unit test keeps the two equal).
 */
export const CAPABILITY_RULE_IDS: Record<Capability, string> = {
  shell: 'mcp-capability-shell',
  process: 'mcp-capability-process',
  'code-eval': 'mcp-capability-code-eval',
  'file-read': 'mcp-capability-file-read',
  'file-write': 'mcp-capability-file-write',
  network: 'mcp-capability-network',
  sql: 'mcp-capability-sql',
  'env-credentials': 'mcp-capability-env-credentials',
  'send-data': 'mcp-capability-send-data',
};

/** What each rule's page says the capability covers. */
const COVERS: Record<Capability, string> = {
  shell:
    'a command line run through a shell (`child_process.exec`, `spawn` with `shell: true`, `os.system`, `subprocess.run(shell=True)`)',
  process:
    'a program started without a shell (`spawn`, `execFile`, `execa`, `subprocess.run([...])`, `asyncio.create_subprocess_exec`)',
  'code-eval': 'code evaluated at run time (`eval`, `new Function`, `vm`, Python `eval`/`exec`/`compile`)',
  'file-read':
    'files read or folders listed (`fs.readFile`, `createReadStream`, `readdir`, Python `open(path)`, `Path.read_text`)',
  'file-write':
    'files written, created, moved or deleted (`fs.writeFile`, `rm`, `mkdir`, `rename`, Python `open(path, "w")`, `shutil`, `os.remove`)',
  network: 'URLs fetched (`fetch`, `axios.get`, `got`, `http.get`, `requests.get`, `httpx`, `urllib`)',
  sql: 'SQL executed on a database connection, cursor or client (SQL text, or a database-looking receiver)',
  'env-credentials':
    'credentials read: an environment variable named like a key, token, secret or password, or one whose name is computed; a key store (`keytar`, `keyring`); a credential file (`~/.ssh`, `~/.aws/credentials`, `.netrc`)',
  'send-data':
    'data sent out: an HTTP request with a sending method or a body (`axios.post`, `fetch(url, { method: "POST" })`, `requests.post`), e-mail (`nodemailer`, `smtplib`), uploads (S3)',
};

/** A hop message with the tool's name masked like every name a finding prints. */
function maskNames(message: string, tool: string): string {
  return message.split(`\`${tool}\``).join(`\`${maskedName(tool)}\``);
}

/** The message of one capability finding. */
export function capabilityMessage(tool: string, c: Capability, param?: string | null, via: string[] = []): string {
  const control =
    param === undefined ? '' : param ? ` (argument \`${param}\` controls it)` : ' (a tool argument controls it)';
  const through = via.length ? ` through \`${via.join('` → `')}\`` : '';
  return `Tool \`${tool}\` ${CAPABILITY_VERB[c]}${control}${through}.`;
}

/** Builds the rule of one capability. */
function capabilityRule(c: Capability, samples: { positive: RuleSample[]; negative: RuleSample[] }): Rule {
  const verb = CAPABILITY_VERB[c];
  return defineRule({
    id: CAPABILITY_RULE_IDS[c],
    title: `Tool ${verb}`,
    description: `An MCP tool's code ${verb}: a power that whoever can call the tool (the model, or a prompt injected into it) holds.`,
    category: 'capability',
    severity: 'info',
    cwe: [],
    owasp: ['MCP03:2025'],
    kinds: ['js', 'python'],
    keywords: ['tool'],
    docs:
      `Part of the capability inventory: which powers each MCP tool of a server has, so a person vetting the server ` +
      `before installing it sees them even where the code is correct by design.\n\n` +
      `Reported at ${COVERS[c]}, reached from a tool's handler or from a function it calls, in this file or another one (a few calls ` +
      `deep), once per tool and call. The message says whether a tool argument controls the capability (the taint ` +
      `analysis of the injection rules), and the related locations point at the tool's registration and at that ` +
      `argument.\n\n` +
      `This is inventory, not a defect: at its default severity (info) it never fails a build, whatever ` +
      `\`--fail-on\` says. \`mcp-sentinel tools\` lists the same inventory per server, the HTML report has a Tools ` +
      `section, and the editor shows it in the findings view and as a CodeLens above each tool. Turn the rule off ` +
      `in \`.mcp-sentinel.json\` (\`"rules": { "${CAPABILITY_RULE_IDS[c]}": "off" }\`) if the inventory is not wanted, ` +
      `or raise its severity to gate on it.`,
    detect(ctx) {
      const out: RawFinding[] = [];
      for (const t of capabilitiesOf(ctx)) {
        const tool = maskedName(t.tool);
        const server = maskedName(t.server);
        for (const u of t.uses) {
          if (u.capability !== c) continue;
          const param = u.control ? (u.control.param ? maskedName(u.control.param) : null) : undefined;
          out.push({
            start: u.span.start,
            end: u.span.end,
            message: capabilityMessage(tool, c, param, u.via),
            key: `${t.tool}\u0000${u.api}\u0000${ctx.text.slice(u.span.start, u.span.end)}`,
            related: [
              // A tool registered in another file points there, then at the calls that lead into this file.
              // The inventory explains where a tool reaches this code; it is not a data flow (flow: false).
              t.registeredIn
                ? { ...t.registeredIn, message: registrationMessage(tool, server), flow: false as const }
                : { ...t.registration, message: registrationMessage(tool, server) },
              ...(u.control ? [{ ...u.control.span, message: controlMessage(param ?? 'input') }] : []),
              ...(t.hops ?? []).map((h) => ({ ...h, message: maskNames(h.message, t.tool), flow: false as const })),
            ],
          });
        }
      }
      return out;
    },
    ...samples,
  });
}

/** One rule per capability, in the inventory's order. */
export const capabilityRules: Rule[] = CAPABILITIES.map((c) => capabilityRule(c, CAPABILITY_SAMPLES[c]));
