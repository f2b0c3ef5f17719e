/**
 * The one-line fix of every shipped rule: what a report prints under a finding, so the reader knows what to do
 * without opening the rule page. A rule may carry its own `fix`; this table fills the others, so the rule packs
 * need no edit to gain one. `test/unit/rule-fixes.test.ts` fails when a shipped rule has neither.
 *
 * Each line is an imperative sentence that names the change, not the risk (the message and description already
 * say what is wrong). Secret findings always start with "Rotate": once a key is in a file it must be treated as
 * leaked, and removing it from the file does not take it back from whoever read it.
 */
import { ruleDocLink } from '../core/help';
import type { Rule } from '../core/rule';

/** The fix of a hardcoded provider credential, worded from the rule's title ("Hardcoded Slack bot token"). */
function secretFix(title: string): string {
  const what = title.replace(/^Hardcoded\s+/i, '');
  return `Rotate the ${what} now (treat it as leaked), delete it from the file and its history, and read it from an environment variable or a secret manager.`;
}

const SHELL =
  'Run a fixed program with an argument list and no shell (execFile("git", ["log", ref]) / subprocess.run([...])), and check each value against an allowlist.';
const CODE =
  'Do not evaluate strings as code: parse the input as data (JSON.parse, ast.literal_eval) or map it to fixed functions.';
const SQL =
  'Pass values as query parameters (? or $1 placeholders, cursor.execute(sql, params)) instead of building the SQL text.';
const TRAVERSAL =
  'Resolve the path against a fixed base folder and reject it unless the result stays inside that folder (path.relative / Path.is_relative_to).';
const SSRF =
  'Check the URL against an allowlist of hosts and schemes before the request, and refuse private, loopback and metadata addresses.';
const TLS =
  'Keep certificate verification on; trust a private CA with its certificate (ca / verify=path) instead of turning checks off.';
const CAPABILITY =
  'Informational: confirm the tool needs this power, narrow its inputs, and require user confirmation in the client for risky calls.';

/** Fix lines by rule id, for the rules that do not carry their own. */
export const RULE_FIXES: Readonly<Record<string, string>> = {
  'secret-private-key':
    'Revoke and replace the key now (treat it as leaked), delete it from the file and its history, and load it from a secret store or a file outside the repository.',
  'secret-openssh-private-key':
    'Remove the public half from every authorized_keys file, generate a new key pair, delete the key from the file and its history, and keep keys outside the repository.',
  'secret-pgp-private-key':
    'Revoke the PGP key (publish its revocation certificate), generate a new one, and delete the key block from the file and its history.',
  'secret-database-url-password':
    'Rotate the database password, and build the URL at run time from an environment variable or a secret manager.',
  'secret-key-file':
    'Rotate the key if it was ever real, delete the file from the repository and its history, and add its name to .gitignore.',
  'secret-compared-to-literal':
    'Rotate the credential, and compare against a hash or a value read from the environment or a secret store, in constant time.',
  'secret-embedded-credentials-file':
    'Rotate the credentials in the embedded file, and build the text from placeholders or environment variables instead.',
  'secret-generic-assignment':
    'If the value is a real credential, rotate it and read it from an environment variable or a secret manager; if it is not, give it a name that does not look secret or suppress with a reason.',
  'js-command-injection': SHELL,
  'py-command-injection': SHELL,
  'js-code-injection': CODE,
  'py-code-injection': CODE,
  'js-sql-injection': SQL,
  'py-sql-injection': SQL,
  'js-unsafe-deserialization':
    'Parse untrusted input with JSON.parse (or a schema validator), never with a library that revives functions.',
  'py-unsafe-deserialization':
    'Use json or yaml.safe_load for untrusted input; never pickle, marshal, shelve or yaml.load with an unsafe Loader.',
  'js-tool-path-traversal': TRAVERSAL,
  'py-tool-path-traversal': TRAVERSAL,
  'js-path-prefix-containment':
    'Compare against the folder with a trailing separator (dir + path.sep), or check that path.relative(dir, p) does not start with "..".',
  'js-tool-ssrf': SSRF,
  'py-tool-ssrf': SSRF,
  'cloud-metadata-url':
    'Do not call the instance-metadata service from the server; if a tool takes URLs, block 169.254.169.254 and the other metadata hosts.',
  'js-tls-verification-disabled': TLS,
  'py-tls-verification-disabled': TLS,
  'mcp-config-parse-error': 'Fix the syntax error at the reported position so the client reads the whole config.',
  'mcp-config-plaintext-secret':
    'Rotate the credential, then pass it through an input variable (${input:…}) or the environment the client is started with instead of the config file.',
  'mcp-config-unpinned-package':
    'Pin an exact version (npx -y pkg@1.2.3, uvx pkg==1.2.3) and update it deliberately after review.',
  'mcp-config-shell-wrapper':
    'Put the program in "command" and its arguments in "args" instead of handing a script to a shell.',
  'mcp-config-remote-script':
    'Install the server from a pinned package or a reviewed local copy instead of piping a download into a shell.',
  'mcp-config-insecure-url': 'Use https:// (or wss://) for remote MCP servers; plain HTTP only for localhost.',
  'mcp-config-broad-filesystem-root': 'Give the server only the project folders it needs, never / or the home folder.',
  'mcp-config-code-loading-env':
    'Remove LD_PRELOAD, DYLD_INSERT_LIBRARIES, NODE_OPTIONS=--require and writable PATH entries from the server env.',
  'mcp-config-tls-verification-disabled':
    'Remove the override (NODE_TLS_REJECT_UNAUTHORIZED=0, PYTHONHTTPSVERIFY=0); trust a private CA with NODE_EXTRA_CA_CERTS instead.',
  'mcp-config-docker-privileged':
    'Drop --privileged, host namespaces and the Docker socket mount; mount only the folders the server needs.',
  'mcp-config-unpinned-image':
    'Pin the image by digest (image@sha256:…) and update the digest deliberately after review.',
  'mcp-config-auto-approve-dangerous':
    'Remove the tools that run commands or code, write files, run SQL or send requests from alwaysAllow / autoApprove.',
  'mcp-instruction-override':
    'Remove the instruction from the description; if the server is third-party, do not install it until it is explained.',
  'mcp-concealment':
    'Remove the instruction to hide things from the user; if the server is third-party, treat it as poisoned and do not use it.',
  'mcp-pseudo-tag':
    'Remove the fake authority markers (<IMPORTANT>, <system>, [INST]) from the description and state the tool’s purpose plainly.',
  'mcp-coercive-ordering':
    'Remove the demand to be called first; describe what the tool does and let the model choose when to call it.',
  'mcp-tool-shadowing': 'Describe only this tool; remove instructions about how the model should use other tools.',
  'mcp-sensitive-file-request':
    'Remove the instruction to read credential or config files; a tool that needs data should take it as a documented parameter.',
  'mcp-exfiltration-parameter':
    'Remove the side-channel parameter, or describe it as what it really carries and never ask for conversation history, files or secrets.',
  'mcp-hidden-behaviour':
    'Remove the hidden side effect, or describe it openly so the user can decide; treat a third-party server with this as poisoned.',
  'mcp-hidden-unicode':
    'Delete the invisible characters from the name or description (they are shown escaped in the message).',
  'mcp-ansi-escape': 'Delete the terminal escape sequences from the description.',
  'mcp-suspicious-tool-name':
    'Rename the tool after what it does (search_issues, read_file), not after an instruction to the model.',
  'mcp-preference-manipulation':
    'Remove the claims about other tools from the description; say what this tool does and let the model choose.',
  'mcp-false-authority':
    'Remove the claim of approval or consent from the description; real consent comes from the client, never from tool text.',
  'mcp-output-injection':
    'Remove the instruction from the text the handler returns; return data, and never address the model or ask it for secrets.',
  'mcp-served-data-injection':
    'Remove the instruction from the served file (comments included), or stop serving the file to the model.',
  'mcp-output-hidden-text':
    'Delete the invisible characters from the returned or served text (they are shown escaped in the message).',
  'mcp-rug-pull-pattern':
    'Make the tool’s description and behaviour constant: no switch on call count, date or client identity.',
  'mcp-tool-definition-drift':
    'Review the changed definition; if the change is intended, run mcp-sentinel pin again to accept it.',
  'mcp-tool-exposes-environment':
    'Return only the named, non-secret variables the tool needs instead of the whole environment.',
  'mcp-tool-reads-credential-file':
    'Do not read credential files from a tool; take the credential from the server’s own configuration instead.',
  'dockerfile-runs-as-root':
    'Add a USER instruction with an unprivileged user (USER node, USER 10001) to the final stage.',
  'dockerfile-remote-add':
    'Download with RUN curl and verify a pinned checksum (sha256sum -c), or use ADD --checksum=sha256:….',
  'dockerfile-pipe-to-shell':
    'Download the script to a file, verify its checksum or signature, then run it; or install a pinned package.',
  'dockerfile-insecure-download':
    'Remove -k / --no-check-certificate / --trusted-host / strict-ssl false; add the CA certificate to the image if needed.',
  'dockerfile-secret-in-env':
    'Rotate the secret, and pass it at run time (environment, mounted secret) or at build time with RUN --mount=type=secret.',
  'k8s-privileged-container':
    'Set securityContext.privileged: false and grant only the specific capabilities the server needs.',
  'k8s-run-as-root': 'Set runAsNonRoot: true and a non-zero runAsUser in the securityContext.',
  'k8s-privilege-escalation': 'Set allowPrivilegeEscalation: false in the container securityContext.',
  'k8s-host-access':
    'Remove hostNetwork, hostPID, hostIPC and hostPath mounts of system paths; use volumes scoped to the server.',
  'k8s-missing-hardening':
    'Set runAsNonRoot: true, allowPrivilegeEscalation: false, capabilities: { drop: [ALL] }, seccompProfile: { type: RuntimeDefault } and readOnlyRootFilesystem: true in the securityContext.',
  'compose-missing-hardening':
    'Add cap_drop: [ALL], security_opt: [no-new-privileges:true] and read_only: true (with a tmpfs for the folders it writes) to the service.',
  'compose-privileged': 'Remove privileged: true and the Docker socket volume from the service.',
  'compose-root-user': 'Set user: to an unprivileged uid (or remove user: root so the image’s own user applies).',
  'compose-default-password':
    'Set a strong password from an env file or a Compose secret, and do not publish the port beyond what needs it.',
  'cors-any-origin-with-credentials':
    'Allow only the known origins that need the server, or turn credentials off for a wildcard origin.',
  'weak-hash-for-secret': 'Hash passwords with bcrypt, scrypt or Argon2, and sign or compare tokens with HMAC-SHA-256.',
  'insecure-random-for-secret':
    'Generate secrets with crypto.randomBytes / crypto.randomUUID (JS) or the secrets module (Python).',
  'jwt-verification-disabled': 'Verify every JWT with its key and an explicit algorithm list that excludes "none".',
  'hardcoded-crypto-key':
    'Load keys from a secret store or the environment, and generate a random IV or salt for every encryption.',
  'secret-compared-non-constant-time':
    'Compare secrets with crypto.timingSafeEqual (JS) or hmac.compare_digest (Python).',
  'mcp-capability-shell': CAPABILITY,
  'mcp-capability-process': CAPABILITY,
  'mcp-capability-code-eval': CAPABILITY,
  'mcp-capability-file-write': CAPABILITY,
  'mcp-capability-file-read': CAPABILITY,
  'mcp-capability-sql': CAPABILITY,
  'mcp-capability-network': CAPABILITY,
  'mcp-capability-send-data': CAPABILITY,
  'mcp-capability-env-credentials': CAPABILITY,
  'mcp-lethal-trifecta':
    'Split the tools across servers, or require user confirmation for the outward tool, so injected content cannot chain them.',
  'mcp-sentinel-suppression-without-reason':
    'Add the reason after a colon: mcp-sentinel-ignore RULE: why this is acceptable.',
  'mcp-sentinel-unused-suppression': 'Delete the suppression comment, or correct its rule id or line.',
  'mcp-sentinel-invalid-suppression': 'Write it as mcp-sentinel-ignore RULE-ID: reason, with an existing rule id.',
  'mcp-sentinel-expired-ignore': 'Fix the findings the entry covered, or extend its expiry date with a fresh reason.',
  'package-limit-exceeded':
    'Do not run this package until its size is explained: compare it with its source repository and vet a release that stays within the limits.',
  'package-unsafe-entry':
    'Do not run this package: ask its authors why the archive holds the refused entry, and pin a release whose archive has none.',
};

/** The fix line of a shipped rule: its own, else the table's, else the secret wording for provider-format keys. */
export function fixOf(rule: Pick<Rule, 'id' | 'title' | 'category' | 'fix'>): string | undefined {
  if (rule.fix) return rule.fix;
  const listed = RULE_FIXES[rule.id];
  if (listed) return listed;
  // Provider-format secret rules are generated from one table (secrets/providers.ts): one wording fits them all.
  if (rule.category === 'secret' && rule.id.startsWith('secret-') && /^Hardcoded\s/i.test(rule.title))
    return secretFix(rule.title);
  return undefined;
}

/**
 * Gives every shipped rule its fix line and documentation link, in place, once. The rules are module singletons
 * shared by the engine, the samples test and the catalogue; setting the fields on them (rather than copying)
 * keeps every holder of a rule seeing the same object.
 */
export function attachHelp(rules: readonly Rule[]): void {
  for (const r of rules) {
    const fix = fixOf(r);
    if (fix) r.fix = fix;
    r.helpUri ??= ruleDocLink(r.id);
  }
}
