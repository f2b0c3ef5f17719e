import { isPair, isScalar } from 'yaml';
import { defineRule, type DetectContext, type RawFinding, type Span } from '../../core/rule';
import { dropsAll, get, items, scalar, spanOf, yamlRoots } from './yamlTree';

/** The services of a Compose file: `services` entries that have an image or a build, with where the name is. */
function services(ctx: DetectContext): { name: string; node: unknown; nameSpan: Span | undefined }[] {
  return ctx.memo('yaml:compose-services', () =>
    yamlRoots(ctx).flatMap((root) => {
      const s = get(root, 'services');
      const list = (s && typeof s === 'object' && 'items' in s ? (s as { items: unknown[] }).items : []).filter(isPair);
      return list
        .filter((p) => isScalar(p.key) && (get(p.value, 'image') !== undefined || get(p.value, 'build') !== undefined))
        .map((p) => ({ name: String(scalar(p.key)), node: p.value, nameSpan: spanOf(p.key) }));
    }),
  );
}

const META = {
  category: 'deployment-hardening' as const,
  owasp: ['A05:2021'],
  kinds: ['yaml' as const],
  keywords: ['services'],
};

export const composePrivileged = defineRule({
  ...META,
  id: 'compose-privileged',
  title: 'Compose service runs privileged or with the Docker socket',
  description:
    'A Compose service with privileged: true or the Docker socket mounted controls the host, so a compromise of the server is a compromise of the machine.',
  severity: 'high',
  cwe: ['CWE-250'],
  docs: 'Remove `privileged: true` and the `/var/run/docker.sock` mount; add only the capabilities the service needs with `cap_add`.',
  detect(ctx) {
    const out: RawFinding[] = [];
    for (const s of services(ctx)) {
      const p = get(s.node, 'privileged');
      const sp = spanOf(p);
      if (scalar(p) === true && sp)
        out.push({ ...sp, message: `Service "${s.name}" runs privileged; remove privileged: true.` });
      for (const v of items(get(s.node, 'volumes'))) {
        const text = scalar(v) ?? scalar(get(v, 'source'));
        const vs = spanOf(isScalar(v) ? v : get(v, 'source'));
        if (typeof text === 'string' && text.includes('docker.sock') && vs)
          out.push({
            ...vs,
            message: `Service "${s.name}" mounts the Docker socket, which gives it the host; remove the mount.`,
          });
      }
    }
    return out;
  },
  positive: [
    {
      path: 'docker-compose.yml',
      code: 'services:\n  mcp:\n    image: ghcr.io/acme/mcp:1.2.0\n    privileged: «true»\n    volumes:\n      - «/var/run/docker.sock:/var/run/docker.sock»\n',
    },
  ],
  negative: [
    {
      path: 'docker-compose.yml',
      code: 'services:\n  mcp:\n    image: ghcr.io/acme/mcp:1.2.0\n    privileged: false\n    volumes:\n      - ./data:/data:ro\n',
    },
  ],
});

export const composeRootUser = defineRule({
  ...META,
  id: 'compose-root-user',
  title: 'Compose service runs as root',
  description:
    'user: root (or 0) in a Compose service runs the server as root even when its image chose an unprivileged user.',
  severity: 'medium',
  cwe: ['CWE-250'],
  docs: 'Remove `user: root`, or set an unprivileged uid such as `user: "10001:10001"`.',
  detect(ctx) {
    const out: RawFinding[] = [];
    for (const s of services(ctx)) {
      const u = get(s.node, 'user');
      const v = String(scalar(u) ?? '')
        .split(':')[0]
        ?.trim()
        .toLowerCase();
      const sp = spanOf(u);
      if ((v === 'root' || v === '0') && sp)
        out.push({ ...sp, message: `Service "${s.name}" runs as root; use an unprivileged user.` });
    }
    return out;
  },
  positive: [
    {
      path: 'compose.yaml',
      code: 'services:\n  mcp:\n    build: .\n    user: «root»\n  worker:\n    image: acme/w:1\n    user: "«0:0»"\n',
    },
  ],
  negative: [{ path: 'compose.yaml', code: 'services:\n  mcp:\n    build: .\n    user: "10001:10001"\n' }],
});

export const composeMissingHardening = defineRule({
  ...META,
  id: 'compose-missing-hardening',
  title: 'Compose service built here lacks the hardening options',
  description:
    'A service built from this repository (the server itself) that keeps every Linux capability, may gain privileges through setuid binaries, and can write its own root filesystem gives an attacker in the server more room than needed.',
  severity: 'low',
  cwe: ['CWE-250'],
  docs:
    "Docker's own hardening advice for a service, in Compose terms: `cap_drop: [ALL]` (then `cap_add` only what " +
    'the service needs), `security_opt: [no-new-privileges:true]`, and `read_only: true` (with a `tmpfs` for the ' +
    'folders it must write). Only services with a `build:` are checked, the server this repository ships: ' +
    'third-party images in the same file (a database, a cache) follow their own documentation. The missing ' +
    'options are reported together, once per service, on its name.',
  detect(ctx) {
    const out: RawFinding[] = [];
    for (const s of services(ctx)) {
      if (get(s.node, 'build') === undefined || !s.nameSpan) continue;
      const missing: string[] = [];
      if (!dropsAll(get(s.node, 'cap_drop'))) missing.push('cap_drop: [ALL]');
      const opts = items(get(s.node, 'security_opt')).map((o) => String(scalar(o) ?? '').replace(/\s/g, ''));
      if (!opts.some((o) => /^no-new-privileges(?::true|=true)?$/i.test(o)))
        missing.push('security_opt: [no-new-privileges:true]');
      if (scalar(get(s.node, 'read_only')) !== true) missing.push('read_only: true');
      if (missing.length)
        out.push({ ...s.nameSpan, message: `Service "${s.name}" does not set ${missing.join(', ')}.` });
    }
    return out;
  },
  positive: [
    {
      path: 'compose.yaml',
      code: 'services:\n  «mcp»:\n    build: .\n    user: "10001:10001"\n    ports: ["8080:8080"]\n',
    },
    {
      path: 'docker-compose.yml',
      code: 'services:\n  «server»:\n    build: { context: . }\n    cap_drop: [NET_RAW]\n    security_opt: ["no-new-privileges:false"]\n    read_only: true\n',
    },
  ],
  negative: [
    {
      path: 'compose.yaml',
      code: 'services:\n  mcp:\n    build: .\n    read_only: true\n    tmpfs: [/tmp]\n    cap_drop: [ALL]\n    security_opt:\n      - no-new-privileges:true\n  db:\n    image: postgres:16\n',
    },
  ],
});

// Passwords that ship in documentation and tutorials: a service started with one is open to anyone who can reach it.
const DEFAULT_PASSWORDS = new Set([
  'postgres',
  'password',
  'changeme',
  'change_me',
  'admin',
  'root',
  'secret',
  'example',
  'pass',
  'passw0rd',
  'password1',
  'password123',
  '123456',
  '12345678',
  'mysql',
  'guest',
  'test',
  'default',
  'letmein',
  'qwerty',
  'admin123',
  'minioadmin',
  'redis',
  'mongo',
  'rabbitmq',
]);

function isPasswordVar(name: string): boolean {
  const n = name.toUpperCase();
  return (
    (n.endsWith('PASSWORD') ||
      n.endsWith('_PASS') ||
      n.endsWith('_PWD') ||
      n === 'MINIO_ROOT_PASSWORD' ||
      n.endsWith('SECRET_KEY')) &&
    !n.endsWith('_FILE')
  );
}

export const composeDefaultPassword = defineRule({
  ...META,
  id: 'compose-default-password',
  title: 'Compose service uses a default password',
  description:
    'A database or service started with a well-known password (postgres, password, changeme, admin…) is open to anyone who can reach its port.',
  severity: 'high',
  cwe: ['CWE-1392', 'CWE-798'],
  docs:
    'Default passwords are the first thing scanners try. Read the password from an env file that is not committed ' +
    '(`POSTGRES_PASSWORD: ${POSTGRES_PASSWORD}`) or use Compose secrets (`POSTGRES_PASSWORD_FILE: /run/secrets/db`).',
  detect(ctx) {
    const out: RawFinding[] = [];
    for (const s of services(ctx)) {
      const env = get(s.node, 'environment');
      const pairs: { name: string; value: string; span: Span }[] = [];
      for (const item of items(env)) {
        const text = scalar(item);
        const sp = spanOf(item);
        if (typeof text !== 'string' || !sp) continue;
        const eq = text.indexOf('=');
        if (eq > 0)
          pairs.push({
            name: text.slice(0, eq),
            value: text.slice(eq + 1),
            span: { start: sp.start + eq + 1, end: sp.start + text.length },
          });
      }
      if (env && typeof env === 'object' && 'items' in env) {
        for (const p of (env as { items: unknown[] }).items) {
          if (!isPair(p) || !isScalar(p.key)) continue;
          const sp = spanOf(p.value);
          const v = scalar(p.value);
          if (sp && (typeof v === 'string' || typeof v === 'number'))
            pairs.push({ name: String(p.key.value), value: String(v), span: sp });
        }
      }
      for (const p of pairs) {
        if (isPasswordVar(p.name) && DEFAULT_PASSWORDS.has(p.value.trim().toLowerCase())) {
          out.push({
            ...p.span,
            message: `Service "${s.name}" sets ${p.name} to a well-known default password; use a generated secret.`,
          });
        }
      }
    }
    return out;
  },
  positive: [
    {
      path: 'docker-compose.yml',
      code: 'services:\n  db:\n    image: postgres:16\n    environment:\n      POSTGRES_PASSWORD: «postgres»\n  mq:\n    image: rabbitmq:3\n    environment:\n      - RABBITMQ_DEFAULT_PASS=«guest»\n',
    },
  ],
  negative: [
    {
      path: 'docker-compose.yml',
      code: 'services:\n  db:\n    image: postgres:16\n    environment:\n      POSTGRES_PASSWORD: ${POSTGRES_PASSWORD}\n      POSTGRES_USER: postgres\n      POSTGRES_PASSWORD_FILE: /run/secrets/db\n',
    },
  ],
});
