import { defineRule, type DetectContext, type RawFinding } from '../../core/rule';
import { maskSecret } from '../../core/mask';
import { isPlaceholder } from '../secrets/identify';
import { isSecretName } from '../secrets/placeholder';
import { parseDockerfile, stagesOf, type Instruction, type Stage } from './dockerfile';

function instructions(ctx: DetectContext): Instruction[] {
  return ctx.memo('dockerfile:instructions', () => parseDockerfile(ctx.text));
}

/** True when a USER value names root (`root`, `0`, `root:root`, `0:0`). */
function isRootUser(v: string): boolean {
  const user = (v.trim().split(':')[0] ?? '').toLowerCase();
  return user === 'root' || user === '0';
}

// Base images that already run as an unprivileged user unless told otherwise.
function isNonRootImage(image: string): boolean {
  const i = image.toLowerCase();
  return (
    i.includes('nonroot') ||
    i.includes('non-root') ||
    i.includes('rootless') ||
    (i.startsWith('cgr.dev/chainguard/') && !i.endsWith('-dev') && !i.includes(':latest-dev'))
  );
}

/** The user the final stage runs as: the last USER there, or the one inherited from an earlier stage it builds on. */
function finalUser(stages: Stage[]): { user?: Instruction; nonRootBase: boolean } {
  const userOf = (s: Stage, depth: number): { user?: Instruction; nonRootBase: boolean } => {
    const users = s.body.filter((i) => i.keyword === 'USER');
    const last = users[users.length - 1];
    if (last) return { user: last, nonRootBase: false };
    const parent =
      depth < 10
        ? stages.find((p) => p.alias !== undefined && p.alias === s.image.toLowerCase() && p !== s)
        : undefined;
    if (parent) return userOf(parent, depth + 1);
    return { nonRootBase: isNonRootImage(s.image) };
  };
  const last = stages[stages.length - 1];
  return last ? userOf(last, 0) : { nonRootBase: true };
}

export const dockerfileRunsAsRoot = defineRule({
  id: 'dockerfile-runs-as-root',
  title: 'Container runs as root',
  description:
    'A server image whose final stage sets no USER (or USER root) runs the server as root, so any command injection or file-access bug in it acts with root rights inside the container and on mounted volumes.',
  category: 'deployment-hardening',
  severity: 'medium',
  cwe: ['CWE-250'],
  owasp: ['A05:2021'],
  kinds: ['dockerfile'],
  keywords: ['from'],
  docs:
    'Images run as root unless the Dockerfile says otherwise. An MCP server executes commands and reads files on ' +
    'behalf of a model, so a bug or a prompt injection there is worth less to an attacker when the process is ' +
    'unprivileged. Create a user and switch to it at the end of the final stage (`RUN useradd -r app` then ' +
    '`USER app`, or `USER node` on the official Node images), or build on a `:nonroot` distroless image. Dev-container ' +
    'Dockerfiles (under `.devcontainer/`) are not checked.',
  detect(ctx) {
    if (/(?:^|\/)\.devcontainer\//.test(ctx.path)) return [];
    const stages = stagesOf(instructions(ctx));
    const last = stages[stages.length - 1];
    if (!last || (last.image.toLowerCase() === 'scratch' && last.body.length === 0)) return [];
    const { user, nonRootBase } = finalUser(stages);
    if (user) {
      if (!isRootUser(user.args)) return [];
      const s = user.offsetOf(0);
      return [
        {
          start: s,
          end: user.offsetOf(user.args.length),
          message: `The final image runs as ${user.args.trim()}; switch to an unprivileged USER.`,
        },
      ];
    }
    if (nonRootBase) return [];
    const s = last.from.offsetOf(last.imageAt);
    return [
      {
        start: s,
        end: last.from.offsetOf(last.imageAt + last.image.length),
        message: `The final stage (${last.image}) sets no USER, so the container runs as root; add an unprivileged USER.`,
      },
    ];
  },
  positive: [
    {
      path: 'Dockerfile',
      code: 'FROM node:20-slim AS build\nWORKDIR /app\nCOPY . .\nRUN npm ci && npm run build\n\nFROM «node:20-slim»\nCOPY --from=build /app/dist /app\nCMD ["node", "/app/index.js"]\n',
    },
    {
      path: 'docker/Dockerfile',
      code: 'FROM python:3.12-slim\nUSER app\nRUN pip install .\nUSER «root»\nCMD ["mcp-server"]\n',
    },
  ],
  negative: [
    { path: 'Dockerfile', code: 'FROM node:20-slim\nWORKDIR /app\nCOPY . .\nUSER node\nCMD ["node", "index.js"]\n' },
    {
      path: 'Dockerfile',
      code: 'FROM golang:1.22 AS build\nRUN go build -o /srv ./cmd/server\nFROM gcr.io/distroless/static-debian12:nonroot\nCOPY --from=build /srv /srv\nENTRYPOINT ["/srv"]\n',
    },
    { path: '.devcontainer/Dockerfile', code: 'FROM mcr.microsoft.com/devcontainers/typescript-node:20\n' },
    {
      path: 'Dockerfile',
      code: 'FROM python:3.12-slim AS base\nRUN useradd -r app\nUSER app\nFROM base\nCOPY . /app\nCMD ["python", "-m", "app"]\n',
    },
  ],
});

export const dockerfileRemoteAdd = defineRule({
  id: 'dockerfile-remote-add',
  title: 'ADD downloads from a URL without a checksum',
  description:
    'ADD with a remote URL puts whatever the server returns into the image, with no integrity check, so a compromised or changed download ships in every build.',
  category: 'deployment-hardening',
  severity: 'medium',
  cwe: ['CWE-494'],
  owasp: ['A08:2021'],
  kinds: ['dockerfile'],
  keywords: ['add'],
  docs:
    '`ADD https://…` fetches at build time and trusts the result. Pin it with `ADD --checksum=sha256:… https://…` ' +
    '(BuildKit), or download in a RUN step and verify the checksum before use.',
  detect(ctx) {
    const out: RawFinding[] = [];
    for (const ins of instructions(ctx)) {
      if (ins.keyword !== 'ADD' || /--checksum=/.test(ins.args)) continue;
      const m = /(?:^|\s)(https?:\/\/\S+)/i.exec(ins.args);
      if (!m || m[1] === undefined) continue;
      const at = m.index + m[0].length - m[1].length;
      out.push({
        start: ins.offsetOf(at),
        end: ins.offsetOf(at + m[1].length),
        message:
          'ADD downloads a remote file into the image without a checksum; add --checksum=sha256:… or verify it in RUN.',
      });
    }
    return out;
  },
  positive: [
    {
      path: 'Dockerfile',
      code: 'FROM alpine:3.20\nADD «https://github.com/acme/mcp/releases/download/v1.2.0/mcp-linux-amd64» /usr/local/bin/mcp\nUSER nobody\n',
    },
  ],
  negative: [
    {
      path: 'Dockerfile',
      code: 'FROM alpine:3.20\nADD --checksum=sha256:24454f830cdb571e2c4ad15481119c43b3cafd48dd869a9b2945d1036d1dc68d https://example.com/mcp.tgz /opt/\nADD ./dist /app\nUSER nobody\n',
    },
  ],
});

// A fetch piped into an interpreter, inside RUN.
const PIPE_TO_SHELL = '(?:curl|wget)\\b[^\\n|;&]*\\|\\s*(?:sudo\\s+)?(?:sh|bash|zsh|dash|ash|python3?|perl)\\b';

export const dockerfilePipeToShell = defineRule({
  id: 'dockerfile-pipe-to-shell',
  title: 'RUN pipes a download into a shell',
  description:
    'curl … | sh in a Dockerfile runs whatever the remote host serves at build time, unpinned and unverified, inside the server image.',
  category: 'deployment-hardening',
  severity: 'medium',
  cwe: ['CWE-494', 'CWE-829'],
  owasp: ['A08:2021'],
  kinds: ['dockerfile'],
  keywords: ['curl', 'wget'],
  docs:
    'An install script fetched and executed in one step cannot be reviewed or pinned, and changes under you between ' +
    'builds. Download a versioned release, verify its checksum, then run it; or use the distribution package.',
  detect(ctx) {
    return ctx
      .re(PIPE_TO_SHELL, 'i')
      .matchAll(ctx.doc)
      .map((m) => ({
        start: m.start,
        end: m.end,
        message:
          'The build pipes a downloaded script into an interpreter; download a pinned release and verify its checksum.',
      }));
  },
  positive: [
    {
      path: 'Dockerfile',
      code: 'FROM debian:12-slim\nRUN apt-get update && «curl -fsSL https://deb.nodesource.com/setup_20.x | bash» - && apt-get install -y nodejs\nUSER node\n',
    },
  ],
  negative: [
    {
      path: 'Dockerfile',
      code: 'FROM debian:12-slim\nRUN curl -fsSLo /tmp/uv.tgz https://github.com/astral-sh/uv/releases/download/0.4.0/uv.tgz && echo "abc  /tmp/uv.tgz" | sha256sum -c -\nUSER nobody\n',
    },
  ],
});

const INSECURE_DOWNLOAD =
  '(?:curl\\b[^\\n]*\\s(?:-k|--insecure)\\b|wget\\b[^\\n]*\\s--no-check-certificate\\b|pip3?\\s+install\\b[^\\n]*\\s--trusted-host\\b|npm\\s+config\\s+set\\s+strict-ssl\\s+false)';

export const dockerfileInsecureDownload = defineRule({
  id: 'dockerfile-insecure-download',
  title: 'Build download skips TLS verification',
  description:
    'curl -k, wget --no-check-certificate, pip --trusted-host or npm strict-ssl false let anyone on the network path substitute what goes into the image.',
  category: 'deployment-hardening',
  severity: 'medium',
  cwe: ['CWE-295'],
  owasp: ['A02:2021'],
  kinds: ['dockerfile'],
  keywords: ['-k', 'insecure', 'no-check-certificate', 'trusted-host', 'strict-ssl'],
  docs:
    'Turning off certificate checks during the build lets a network attacker serve their own binaries or packages ' +
    'into the image. Fix the CA bundle instead (copy the corporate CA into the image and run update-ca-certificates).',
  detect(ctx) {
    return ctx
      .re(INSECURE_DOWNLOAD, 'i')
      .matchAll(ctx.doc)
      .map((m) => ({
        start: m.start,
        end: m.end,
        message: 'A build step downloads with TLS verification turned off; trust the needed CA instead.',
      }));
  },
  positive: [
    {
      path: 'Dockerfile',
      code: 'FROM alpine:3.20\nRUN «curl -fsSL -k» -o /bin/mcp https://dl.example.com/mcp\nRUN «pip install --trusted-host» pypi.internal -r req.txt\nUSER nobody\n',
    },
  ],
  negative: [
    {
      path: 'Dockerfile',
      code: 'FROM alpine:3.20\nRUN curl -fsSL -o /bin/mcp https://dl.example.com/mcp && wget -q https://example.com/x\nUSER nobody\n',
    },
  ],
});

export const dockerfileSecretInEnv = defineRule({
  id: 'dockerfile-secret-in-env',
  title: 'Secret baked into the image with ENV or ARG',
  description:
    'An ENV or ARG with a secret-named variable and a literal value is stored in the image layers and history, readable by anyone who can pull the image.',
  category: 'deployment-hardening',
  severity: 'high',
  cwe: ['CWE-798', 'CWE-538'],
  owasp: ['A05:2021'],
  kinds: ['dockerfile'],
  keywords: ['env', 'arg'],
  docs:
    'Values set with `ENV` or `ARG` are recorded in the image configuration and `docker history`. Pass secrets at ' +
    'run time (`docker run -e TOKEN`, orchestrator secrets) or at build time with BuildKit secret mounts ' +
    '(`RUN --mount=type=secret,id=token …`). Provider token formats are reported by the secret rules; this rule ' +
    'reports the pattern of a secret-named variable with any literal value.',
  detect(ctx) {
    const out: RawFinding[] = [];
    for (const ins of instructions(ctx)) {
      if (ins.keyword !== 'ENV' && ins.keyword !== 'ARG') continue;
      for (const kv of assignments(ins)) {
        const v = kv.value.replace(/^["']|["']$/g, '');
        if (v === '' || !isSecretName(kv.name) || v.includes('$') || isPlaceholder(v)) continue;
        out.push({
          start: ins.offsetOf(kv.valueAt),
          end: ins.offsetOf(kv.valueAt + kv.value.length),
          message: `${ins.keyword} ${kv.name} bakes a literal secret (${maskSecret(v)}) into the image; pass it at run time or with a BuildKit secret mount.`,
        });
      }
    }
    return out;
  },
  positive: [
    {
      path: 'Dockerfile',
      code: 'FROM node:20-slim\nENV NODE_ENV=production API_TOKEN=«s3cr3t-Tok3n-991»\nARG DB_PASSWORD=«hunter2hunter2»\nENV GITHUB_TOKEN «9f8e7d6c5b4a39281706»\nUSER node\n',
    },
  ],
  negative: [
    {
      path: 'Dockerfile',
      code: 'FROM node:20-slim\nARG NPM_TOKEN\nENV API_TOKEN=${API_TOKEN} TOKEN_URL=https://auth.example.com/token\nENV DB_PASSWORD=changeme API_KEY=""\nENV SECRET_KEY_FILE=/run/secrets/key\nUSER node\n',
    },
  ],
});

/** NAME=value pairs of ENV/ARG (and the legacy `ENV NAME value` form), with the value's index in `args`. */
function assignments(ins: Instruction): { name: string; value: string; valueAt: number }[] {
  const out: { name: string; value: string; valueAt: number }[] = [];
  const a = ins.args;
  const legacy =
    ins.keyword === 'ENV' && /^[A-Za-z_][A-Za-z0-9_]*\s+[^=\s]/.test(a) && !/^[A-Za-z_][A-Za-z0-9_]*=/.test(a);
  if (legacy) {
    const m = /^([A-Za-z_][A-Za-z0-9_]*)\s+/.exec(a)!;
    return [{ name: m[1]!, value: a.slice(m[0].length), valueAt: m[0].length }];
  }
  const re = /([A-Za-z_][A-Za-z0-9_.-]*)=("(?:[^"\\]|\\.)*"|'[^']*'|\S*)/g;
  for (let m = re.exec(a); m; m = re.exec(a)) {
    const value = m[2]!;
    const inner = value.startsWith('"') || value.startsWith("'") ? 1 : 0;
    out.push({ name: m[1]!, value: inner ? value.slice(1, -1) : value, valueAt: m.index + m[1]!.length + 1 + inner });
  }
  return out;
}
