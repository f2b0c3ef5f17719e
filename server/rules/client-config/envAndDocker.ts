import { defineRule, type RawFinding } from '../../core/rule';
import { argvOf, mcpServers, programName } from '../../analysis/json/mcpConfig';
import { CONFIG_KINDS, OWASP_CONFIG } from './shared';

// Variables that make the dynamic loader or the runtime load extra code into the server process.
const CODE_LOADING_VARS = new Set([
  'LD_PRELOAD',
  'LD_AUDIT',
  'LD_LIBRARY_PATH',
  'DYLD_INSERT_LIBRARIES',
  'DYLD_LIBRARY_PATH',
  'DYLD_FRAMEWORK_PATH',
  'PYTHONSTARTUP',
  'PERL5OPT',
  'RUBYOPT',
  'BASH_ENV',
  'ENV',
  'JAVA_TOOL_OPTIONS',
  '_JAVA_OPTIONS',
]);

// NODE_OPTIONS flags that load code or open a debugger port (the rest, such as --max-old-space-size, are benign).
const NODE_OPTIONS_RISKY = [
  '--require',
  '-r',
  '--import',
  '--loader',
  '--experimental-loader',
  '--inspect',
  '--inspect-brk',
  '--inspect-port',
];

// Search-path variables: reported when they point at world-writable places or the current folder, where anyone
// who can write a file decides which code the server loads.
const SEARCH_PATH_VARS = new Set(['PATH', 'PYTHONPATH', 'NODE_PATH', 'PERL5LIB', 'RUBYLIB']);
const WRITABLE_DIRS = ['/tmp', '/var/tmp', '/dev/shm', '%temp%', '%tmp%', '$tmpdir', '${tmpdir}'];

function riskyEnv(key: string, value: string): string | undefined {
  const k = key.toUpperCase();
  if (CODE_LOADING_VARS.has(k))
    return value.trim() === '' ? undefined : `${key} makes the server process load extra code`;
  if (k === 'NODE_OPTIONS') {
    const flag = value
      .split(/\s+/)
      .map((w) => w.split('=')[0] ?? '')
      .find((w) => NODE_OPTIONS_RISKY.includes(w));
    if (!flag) return undefined;
    return flag.startsWith('--inspect')
      ? `NODE_OPTIONS opens a debugger port (${flag}) that runs any code sent to it`
      : `NODE_OPTIONS preloads code into the server (${flag})`;
  }
  if (SEARCH_PATH_VARS.has(k)) {
    const sep = value.includes(';') ? ';' : ':';
    const entries = value.split(sep).map((e) => e.trim().toLowerCase());
    const bad = entries.find(
      (e) => e === '.' || WRITABLE_DIRS.some((d) => e === d || e.startsWith(d + '/') || e.startsWith(d + '\\')),
    );
    if (bad === undefined) return undefined;
    return `${key} puts ${bad === '.' ? 'the current folder' : bad} on the search path`;
  }
  return undefined;
}

export const mcpConfigCodeLoadingEnv = defineRule({
  id: 'mcp-config-code-loading-env',
  title: 'MCP server env loads extra code',
  description:
    'Environment overrides such as LD_PRELOAD, DYLD_INSERT_LIBRARIES, NODE_OPTIONS=--require or a writable PATH entry make the server run code that is not the server, invisibly to anyone reviewing its command.',
  category: 'insecure-config',
  severity: 'medium',
  cwe: ['CWE-426', 'CWE-427'],
  owasp: OWASP_CONFIG,
  kinds: CONFIG_KINDS,
  keywords: ['LD_', 'DYLD_', 'NODE_OPTIONS', 'PATH', 'STARTUP', 'OPT', 'BASH_ENV', '"ENV"', 'JAVA_'],
  docs:
    'A shared config that sets `LD_PRELOAD`, `DYLD_INSERT_LIBRARIES`, `NODE_OPTIONS=--require …`, `PYTHONSTARTUP` ' +
    'or puts `/tmp` or `.` on `PATH` / `PYTHONPATH` makes the client start something other than the reviewed server, ' +
    "with the user's rights. `NODE_OPTIONS=--inspect` opens a debugger port that executes any code sent to it. " +
    'Remove the override; if a library path is really needed, point it at a folder only you can write.',
  detect(ctx) {
    const out: RawFinding[] = [];
    for (const e of mcpServers(ctx)) {
      for (const kv of e.env) {
        const why = kv.value && riskyEnv(kv.key, kv.value.value);
        if (why)
          out.push({
            start: kv.keySpan.start,
            end: kv.keySpan.end,
            message: `MCP server "${e.name.value}": ${why}; remove the override.`,
          });
      }
    }
    return out;
  },
  positive: [
    {
      path: '.cursor/mcp.json',
      code: '{ "mcpServers": { "a": { "command": "node", "args": ["server.js"], "env": { "«LD_PRELOAD»": "/tmp/libhook.so", "«NODE_OPTIONS»": "--require /tmp/x.js --max-old-space-size=4096" } } } }',
    },
    {
      path: '.vscode/mcp.json',
      code: '{ "servers": { "p": { "command": "python", "args": ["-m", "srv"], "env": { "«PATH»": "/tmp/bin:/usr/bin:/bin", "«PYTHONPATH»": ".:src" } } } }',
    },
  ],
  negative: [
    {
      path: '.vscode/mcp.json',
      code: '{ "servers": { "p": { "command": "python", "args": ["-m", "srv"], "env": { "PYTHONPATH": "${workspaceFolder}/src", "NODE_OPTIONS": "--max-old-space-size=4096", "PATH": "/opt/homebrew/bin:/usr/bin:/bin", "LD_PRELOAD": "" } } } }',
    },
  ],
});

// Variables that switch off certificate checking, and the values that do it.
function tlsDisabled(key: string, value: string): boolean {
  const k = key.toUpperCase();
  const v = value.trim().toLowerCase();
  if (k === 'NODE_TLS_REJECT_UNAUTHORIZED' || k === 'PYTHONHTTPSVERIFY') return v === '0' || v === 'false';
  if (k === 'GIT_SSL_NO_VERIFY' || k === 'CURL_INSECURE' || k === 'INSECURE_SKIP_VERIFY')
    return v !== '' && v !== '0' && v !== 'false';
  if (k === 'NPM_CONFIG_STRICT_SSL' || k === 'SSL_VERIFY' || k === 'VERIFY_SSL' || k === 'REQUESTS_VERIFY')
    return v === 'false' || v === '0';
  if (k === 'REQUESTS_CA_BUNDLE' || k === 'CURL_CA_BUNDLE') return value === '';
  return false;
}

export const mcpConfigTlsVerificationDisabled = defineRule({
  id: 'mcp-config-tls-verification-disabled',
  title: 'MCP server env disables TLS verification',
  description:
    'An env override such as NODE_TLS_REJECT_UNAUTHORIZED=0 or PYTHONHTTPSVERIFY=0 makes the server accept any certificate, so its HTTPS traffic (tokens, API results) can be intercepted.',
  category: 'insecure-config',
  severity: 'high',
  cwe: ['CWE-295'],
  owasp: ['A02:2021'],
  kinds: CONFIG_KINDS,
  keywords: ['TLS_REJECT', 'HTTPSVERIFY', 'SSL_NO_VERIFY', 'STRICT_SSL', 'VERIFY', 'CA_BUNDLE', 'INSECURE'],
  docs:
    'Turning off certificate verification for the whole server process means every outbound HTTPS call, including ' +
    'those carrying API tokens, trusts any certificate: anyone on the network path can read and change them. If a ' +
    'corporate proxy re-signs traffic, add its CA with `NODE_EXTRA_CA_CERTS` or `SSL_CERT_FILE` instead.',
  detect(ctx) {
    const out: RawFinding[] = [];
    for (const e of mcpServers(ctx)) {
      for (const kv of e.env) {
        if (kv.value && tlsDisabled(kv.key, kv.value.value)) {
          const span = kv.value.start === kv.value.end ? kv.keySpan : kv.value;
          out.push({
            start: span.start,
            end: span.end,
            message: `MCP server "${e.name.value}" disables TLS certificate checks with ${kv.key}; trust the needed CA instead.`,
          });
        }
      }
    }
    return out;
  },
  positive: [
    {
      path: '.cursor/mcp.json',
      code: '{ "mcpServers": { "a": { "command": "node", "args": ["server.js"], "env": { "NODE_TLS_REJECT_UNAUTHORIZED": "«0»", "PYTHONHTTPSVERIFY": "«false»", "GIT_SSL_NO_VERIFY": "«true»" } } } }',
    },
  ],
  negative: [
    {
      path: '.cursor/mcp.json',
      code: '{ "mcpServers": { "a": { "command": "node", "args": ["server.js"], "env": { "NODE_TLS_REJECT_UNAUTHORIZED": "1", "NODE_EXTRA_CA_CERTS": "/etc/ssl/corp-ca.pem", "GIT_SSL_NO_VERIFY": "" } } } }',
    },
  ],
});

// docker run flags that give the container the host: full privileges, the host's namespaces, or the Docker socket.
const DOCKER_HOST_FLAGS = new Set([
  '--privileged',
  '--pid=host',
  '--network=host',
  '--net=host',
  '--ipc=host',
  '--userns=host',
  '--cap-add=all',
  '--cap-add=sys_admin',
  '--security-opt=seccomp=unconfined',
  '--security-opt=apparmor=unconfined',
]);

export const mcpConfigDockerPrivileged = defineRule({
  id: 'mcp-config-docker-privileged',
  title: 'MCP server container runs with host privileges',
  description:
    'A server started with docker run --privileged, host namespaces or the Docker socket mounted can take over the host, so the container no longer isolates it.',
  category: 'insecure-config',
  severity: 'high',
  cwe: ['CWE-250'],
  owasp: OWASP_CONFIG,
  kinds: CONFIG_KINDS,
  keywords: ['docker', 'podman'],
  docs:
    'Running an MCP server in a container is a good way to contain it, but `--privileged`, `--pid=host`, ' +
    '`--network=host`, `--cap-add=SYS_ADMIN` or a mounted `/var/run/docker.sock` hand the host back to it (and to ' +
    'any prompt injection that steers it). Drop the flag; give the container only the mounts and ports it needs.',
  detect(ctx) {
    const out: RawFinding[] = [];
    for (const e of mcpServers(ctx)) {
      const argv = argvOf(e);
      const first = argv[0];
      if (!first || !['docker', 'podman'].includes(programName(first.value))) continue;
      for (let i = 1; i < argv.length; i++) {
        const t = argv[i]!;
        const v = t.value.toLowerCase();
        const joined =
          i + 1 < argv.length &&
          ['--pid', '--network', '--net', '--ipc', '--cap-add', '--userns', '--security-opt'].includes(v)
            ? `${v}=${argv[i + 1]!.value.toLowerCase()}`
            : v;
        const socket = (argv[i - 1]?.value === '-v' || argv[i - 1]?.value === '--volume') && v.includes('docker.sock');
        if (DOCKER_HOST_FLAGS.has(joined) || socket) {
          // `--network host` in one string spans both words; as two strings, the finding sits on the flag.
          const valueTok = joined !== v ? argv[i + 1] : undefined;
          const end = valueTok && valueTok.source === t.source ? valueTok.end : t.end;
          out.push({
            start: t.start,
            end,
            message: `MCP server "${e.name.value}" runs its container with ${socket ? 'the Docker socket mounted' : joined}, which gives it the host; remove it.`,
          });
        }
      }
    }
    return out;
  },
  positive: [
    {
      path: '.vscode/mcp.json',
      code: '{ "servers": { "d": { "command": "docker", "args": ["run", "-i", "--rm", "«--privileged»", "«--network»", "host", "-v", "«/var/run/docker.sock:/var/run/docker.sock»", "mcp/docker"] } } }',
    },
  ],
  negative: [
    {
      path: '.vscode/mcp.json',
      code: '{ "servers": { "gh": { "command": "docker", "args": ["run", "-i", "--rm", "-e", "GITHUB_PERSONAL_ACCESS_TOKEN", "ghcr.io/github/github-mcp-server"] }, "n": { "command": "docker", "args": ["run", "-i", "--rm", "--network", "bridge", "mcp/fetch"] } } }',
    },
  ],
});
