import { defineRule, type RawFinding } from '../../core/rule';
import { argvOf, isVariableReference, mcpServers, programName, type ArgvToken } from '../../analysis/json/mcpConfig';
import { CONFIG_KINDS } from './shared';

// `docker run` / `podman run` options that take the next word as their value (the `--flag=value` form needs no
// list). Every other option is read as a switch; a value-taking option missing here would make its value look
// like the image, so the list follows the Docker CLI reference.
const VALUE_OPTIONS = new Set([
  '-a',
  '--attach',
  '--add-host',
  '--annotation',
  '--blkio-weight',
  '--cap-add',
  '--cap-drop',
  '--cgroup-parent',
  '--cgroupns',
  '--cidfile',
  '--cpu-period',
  '--cpu-quota',
  '--cpu-shares',
  '-c',
  '--cpus',
  '--cpuset-cpus',
  '--cpuset-mems',
  '--device',
  '--device-cgroup-rule',
  '--dns',
  '--dns-option',
  '--dns-search',
  '--domainname',
  '--entrypoint',
  '-e',
  '--env',
  '--env-file',
  '--expose',
  '--gpus',
  '--group-add',
  '--health-cmd',
  '--health-interval',
  '--health-retries',
  '--health-start-period',
  '--health-timeout',
  '-h',
  '--hostname',
  '--ip',
  '--ip6',
  '--ipc',
  '--isolation',
  '--kernel-memory',
  '-l',
  '--label',
  '--label-file',
  '--link',
  '--log-driver',
  '--log-opt',
  '--mac-address',
  '-m',
  '--memory',
  '--memory-reservation',
  '--memory-swap',
  '--mount',
  '--name',
  '--network',
  '--net',
  '--network-alias',
  '--oom-score-adj',
  '--pid',
  '--pids-limit',
  '--platform',
  '-p',
  '--publish',
  '--pull',
  '--restart',
  '--runtime',
  '--security-opt',
  '--shm-size',
  '--stop-signal',
  '--stop-timeout',
  '--storage-opt',
  '--sysctl',
  '--tmpfs',
  '--ulimit',
  '-u',
  '--user',
  '--userns',
  '--uts',
  '-v',
  '--volume',
  '--volume-driver',
  '--volumes-from',
  '-w',
  '--workdir',
]);

/** The image word of a `docker run` / `podman run` command line, when there is one. */
export function runImage(argv: readonly ArgvToken[]): ArgvToken | undefined {
  const first = argv[0];
  if (!first || !['docker', 'podman'].includes(programName(first.value))) return undefined;
  let i = 1;
  // `docker container run` is the long form of `docker run`; global options such as `--context x` come first.
  while (i < argv.length && argv[i]!.value.startsWith('-')) i += argv[i]!.value.includes('=') ? 1 : 2;
  if (argv[i]?.value === 'container') i++;
  if (argv[i]?.value !== 'run') return undefined;
  for (i++; i < argv.length; i++) {
    const v = argv[i]!.value;
    if (!v.startsWith('-')) return argv[i];
    if (v === '--') return argv[i + 1];
    if (!v.includes('=') && VALUE_OPTIONS.has(v)) i++;
  }
  return undefined;
}

/** How an image reference is pinned: by digest, by a tag other than `latest`, or not at all. */
export function imagePinning(image: string): 'digest' | 'tag' | 'none' {
  if (image.includes('@sha256:')) return 'digest';
  // The tag follows the last colon after the last slash (a colon before it belongs to a registry port).
  const name = image.slice(image.lastIndexOf('/') + 1);
  const colon = name.lastIndexOf(':');
  if (colon < 0) return 'none';
  return name.slice(colon + 1).toLowerCase() === 'latest' ? 'none' : 'tag';
}

// One finding per container server, on the image word. A floating image (no tag, `:latest`) is medium like an
// unpinned package; a tag is low: registries let a tag be moved to other content, only a digest names one image.
export const mcpConfigUnpinnedImage = defineRule({
  id: 'mcp-config-unpinned-image',
  title: 'MCP server container image is not pinned by digest',
  description:
    'A server run with docker or podman from an image without a digest (`:latest`, no tag, or a tag that can be moved) runs whatever the registry serves on each start, so a pushed-over image executes with access to everything the container is given.',
  category: 'supply-chain',
  severity: 'medium',
  cwe: ['CWE-829', 'CWE-494'],
  owasp: ['A08:2021'],
  kinds: CONFIG_KINDS,
  keywords: ['docker', 'podman'],
  docs:
    'Clients start container-based servers with `docker run … IMAGE` on every session. Without a tag, or with ' +
    '`:latest`, that is whatever was pushed last (medium); a version tag is better but a registry lets its owner ' +
    '(or whoever steals their credentials) move it to other content (low). Only a digest names exactly one image: ' +
    '`ghcr.io/github/github-mcp-server@sha256:…` (keep the tag for readers: `image:v1.2.3@sha256:…`). Get the ' +
    'digest with `docker buildx imagetools inspect IMAGE:TAG` and update it deliberately.',
  detect(ctx) {
    const out: RawFinding[] = [];
    for (const e of mcpServers(ctx)) {
      const image = runImage(argvOf(e));
      if (!image || isVariableReference(image.value)) continue;
      const pinning = imagePinning(image.value);
      if (pinning === 'digest') continue;
      const why =
        pinning === 'tag'
          ? 'is pinned only by a tag, which can be moved'
          : 'has no tag or digest (the latest push runs)';
      out.push({
        start: image.start,
        end: image.end,
        message: `MCP server "${e.name.value}" runs container image ${image.value}, which ${why}; pin it by digest (@sha256:…).`,
        ...(pinning === 'tag' ? { severity: 'low' as const } : {}),
      });
    }
    return out;
  },
  positive: [
    {
      path: '.vscode/mcp.json',
      code: '{ "servers": { "gh": { "command": "docker", "args": ["run", "-i", "--rm", "-e", "GITHUB_PERSONAL_ACCESS_TOKEN", "«ghcr.io/github/github-mcp-server»"] }, "f": { "command": "docker", "args": ["run", "-i", "--rm", "--network", "bridge", "-v", "/data:/data", "«mcp/fetch:latest»"] } } }',
    },
    {
      path: '.cursor/mcp.json',
      code: '{ "mcpServers": { "p": { "command": "podman", "args": ["container", "run", "--name=pg", "-i", "«localhost:5000/mcp/postgres:1.2»", "postgresql://db/app"] } } }',
      note: 'a version tag is reported at low; the registry port is not a tag',
    },
  ],
  negative: [
    {
      path: '.vscode/mcp.json',
      code: '{ "servers": { "gh": { "command": "docker", "args": ["run", "-i", "--rm", "ghcr.io/github/github-mcp-server:v0.4.0@sha256:0123456789abcdef0123456789abcdef0123456789abcdef0123456789abcdef"] }, "img": { "command": "docker", "args": ["run", "-i", "${input:image}"] }, "b": { "command": "docker", "args": ["build", "-t", "mcp/x", "."] } } }',
      note: 'a digest, an image chosen through an input, and a docker command that runs no image',
    },
  ],
});
