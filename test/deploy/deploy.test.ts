// The container and Kubernetes deployment of the scan service (deploy/) and the CI recipe's manifests
// (docs/ci/k8s/) are held to the hardening they promise, two ways:
// - our own rules scan them with zero findings (and a weakened copy shows the rules do read every file), and
// - every file is parsed and its security settings are checked structurally: the non-root user, no privilege
//   escalation, dropped capabilities, the read-only root filesystem with only /tmp and /cache writable, resource
//   limits, probes on the service's endpoints, a digest-pinned base image and the same settings in Compose.
// No container engine is needed: the files are read, never built or applied.
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { cpSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { delimiter, join } from 'node:path';
import { after, describe, test } from 'node:test';
import { parseAllDocuments, parse as parseYaml } from 'yaml';
import { parseDockerfile, stagesOf, type Instruction } from '../../server/rules/deployment/dockerfile';
import { ROOT, spawnCli } from '../cli/helpers';

const DEPLOY = join(ROOT, 'deploy');
const K8S = join(DEPLOY, 'k8s');
const CI_K8S = join(ROOT, 'docs/ci/k8s');

/** The service's contract with the deployment (fixed with the `serve` command). */
const SERVE = {
  args: ['serve', '--host', '0.0.0.0', '--port', '8080', '--root', '/scan', '--cache-dir', '/cache'],
  port: 8080,
  health: '/api/v1/health',
  ready: '/api/v1/ready',
  writable: ['/cache', '/tmp'],
};

type Obj = Record<string, any>;

/** Every document of a YAML file, failing on any parse error. */
function yamlDocs(path: string): Obj[] {
  return parseAllDocuments(readFileSync(path, 'utf8')).map((d) => {
    assert.deepEqual(d.errors, [], `${path} parses`);
    return d.toJS() as Obj;
  });
}

/** Every Kubernetes object under deploy/k8s/, with the file it came from. */
function k8sObjects(): { file: string; obj: Obj }[] {
  return readdirSync(K8S)
    .filter((f) => /\.ya?ml$/.test(f) && f !== 'kustomization.yaml')
    .flatMap((file) => yamlDocs(join(K8S, file)).map((obj) => ({ file, obj })));
}

const one = (kind: string): Obj => {
  const found = k8sObjects().filter((o) => o.obj.kind === kind);
  assert.equal(found.length, 1, `one ${kind}`);
  return found[0]!.obj;
};

/** `--flag=value` and `--flag value` both become [flag, value]; the result is the plain argument list. */
const splitArgs = (args: string[]): string[] => args.flatMap((a) => (a.startsWith('--') ? a.split(/=(.*)/s, 2) : [a]));

/** Scans a folder with every built-in rule, test-like files included, and returns the JSON report. */
function scan(dir: string): Obj {
  const r = spawnCli(['scan', dir, '--format', 'json', '--fail-on', 'none', '--no-cache', '--include-tests']);
  assert.equal(r.code, 0, r.stderr);
  return JSON.parse(r.stdout) as Obj;
}

/** Checks one container's own security context and the pod's, as the restricted Pod Security profile asks. */
function assertHardened(where: string, pod: Obj, c: Obj): void {
  const own = c.securityContext ?? {};
  const pods = pod.securityContext ?? {};
  const eff = (k: string) => (own[k] !== undefined ? own[k] : pods[k]);
  assert.equal(eff('runAsNonRoot'), true, `${where}: runAsNonRoot`);
  assert.ok(Number.isInteger(eff('runAsUser')) && eff('runAsUser') > 0, `${where}: a numeric non-root runAsUser`);
  assert.equal(own.allowPrivilegeEscalation, false, `${where}: allowPrivilegeEscalation false`);
  assert.equal(own.readOnlyRootFilesystem, true, `${where}: readOnlyRootFilesystem`);
  assert.notEqual(own.privileged, true, `${where}: not privileged`);
  assert.deepEqual(own.capabilities?.drop, ['ALL'], `${where}: drops every capability`);
  assert.equal(own.capabilities?.add, undefined, `${where}: adds none back`);
  assert.equal((own.seccompProfile ?? pods.seccompProfile)?.type, 'RuntimeDefault', `${where}: seccomp`);
}

describe('deploy/: our own rules find nothing', () => {
  test('deploy/ and docs/ci/k8s/ scan with zero findings and nothing suppressed', () => {
    for (const dir of [DEPLOY, CI_K8S]) {
      const report = scan(dir);
      assert.deepEqual(
        report.findings.map((f: Obj) => `${f.file}:${f.line} ${f.ruleId}`),
        [],
        `${dir} has findings`,
      );
      assert.equal(report.stats.suppressed, 0, `${dir}: nothing hidden by a suppression`);
      assert.equal(report.stats.ruleErrors, 0);
    }
  });

  test('a weakened copy is reported, so the zero above comes from files the rules read', () => {
    const tmp = mkdtempSync(join(tmpdir(), 'mcp-sentinel-deploy-'));
    after(() => rmSync(tmp, { recursive: true, force: true }));
    cpSync(DEPLOY, join(tmp, 'deploy'), { recursive: true });
    const edit = (file: string, from: RegExp, to: string) => {
      const p = join(tmp, 'deploy', file);
      const text = readFileSync(p, 'utf8');
      assert.match(text, from, `${file} has ${from}`);
      writeFileSync(p, text.replace(from, to));
    };
    edit('Dockerfile', /^USER .*$/m, '');
    edit('compose.yaml', /user: "10001:10001"/, 'user: "0:0"');
    edit('k8s/deployment.yaml', /allowPrivilegeEscalation: false/, 'allowPrivilegeEscalation: true');
    const ids = new Set(scan(join(tmp, 'deploy')).findings.map((f: Obj) => `${f.file} ${f.ruleId}`));
    for (const expected of [
      'Dockerfile dockerfile-runs-as-root',
      'compose.yaml compose-root-user',
      'k8s/deployment.yaml k8s-privilege-escalation',
    ])
      assert.ok(ids.has(expected), `${expected} in ${[...ids].join(', ')}`);
  });
});

describe('deploy/Dockerfile', () => {
  const text = readFileSync(join(DEPLOY, 'Dockerfile'), 'utf8');
  const instructions = parseDockerfile(text);
  const stages = stagesOf(instructions);
  const final = stages[stages.length - 1]!;
  const inFinal = (kw: string): Instruction[] => final.body.filter((i) => i.keyword === kw);

  test('every stage starts from the same image, pinned by digest (ARG defaults resolved)', () => {
    const args = new Map<string, string>();
    for (const ins of instructions) {
      if (ins.keyword === 'FROM') break;
      const m = /^(\w+)=(\S+)$/.exec(ins.args);
      if (ins.keyword === 'ARG' && m) args.set(m[1]!, m[2]!);
    }
    assert.ok(stages.length >= 2, 'multi-stage: a build stage and a runtime stage');
    const images = stages.map((s) => s.image.replace(/\$\{(\w+)\}|\$(\w+)/g, (_, a, b) => args.get(a ?? b) ?? ''));
    for (const image of images) assert.match(image, /^node:20(\.\d+){0,2}-bookworm-slim@sha256:[0-9a-f]{64}$/, image);
    assert.equal(new Set(images).size, 1, 're2 is compiled on the same base it runs on');
  });

  test('the build stage runs npm ci, the build and npm pack, and installs the tarball that runs on re2', () => {
    const runs = stages[0]!.body.filter((i) => i.keyword === 'RUN').map((i) => i.args);
    assert.ok(runs.some((r) => /\bnpm ci\b/.test(r)));
    assert.ok(
      runs.some((r) => /\bnpm pack\b/.test(r) && /npm install --global/.test(r) && /regex backend re2/.test(r)),
    );
    assert.ok(
      runs.some((r) => /apt-get install[^&]*\bg\+\+/.test(r)),
      'the compiler is in the build stage',
    );
    assert.ok(!final.body.some((i) => i.keyword === 'RUN' && /apt-get|npm /.test(i.args)), 'none in the runtime');
  });

  test('the runtime stage runs as a numeric non-root user, with a Node health check and the serve command', () => {
    const users = inFinal('USER');
    assert.equal(users.length, 1);
    assert.match(users[0]!.args, /^[1-9]\d*:[1-9]\d*$/, 'numeric uid:gid, so runAsNonRoot can be verified');
    const [health] = inFinal('HEALTHCHECK');
    assert.ok(health, 'HEALTHCHECK');
    assert.ok(health.args.includes(`http://127.0.0.1:${SERVE.port}${SERVE.health}`));
    assert.match(health.args, /CMD \["node", "-e"/, 'a node one-liner');
    assert.doesNotMatch(health.args, /\b(curl|wget)\b/);
    assert.deepEqual(JSON.parse(inFinal('ENTRYPOINT')[0]!.args), ['mcp-sentinel']);
    assert.deepEqual(JSON.parse(inFinal('CMD')[0]!.args), SERVE.args);
    assert.ok(inFinal('ENV').some((i) => /\bTMPDIR=\/tmp\b/.test(i.args)));
    assert.ok(inFinal('EXPOSE').some((i) => i.args === String(SERVE.port)));
  });

  test('pin-base-image.sh writes the digest the registry tool reports, and refuses anything else', () => {
    const tmp = mkdtempSync(join(tmpdir(), 'mcp-sentinel-pin-'));
    after(() => rmSync(tmp, { recursive: true, force: true }));
    cpSync(join(DEPLOY, 'pin-base-image.sh'), join(tmp, 'pin-base-image.sh'));
    writeFileSync(join(tmp, 'Dockerfile'), text);
    const digest = `sha256:${'ab12'.repeat(16)}`;
    // A stand-in skopeo, first on PATH: it answers for the image it is asked about, as the real one would.
    const fake = (answer: string) =>
      writeFileSync(
        join(tmp, 'skopeo'),
        `#!/bin/sh\n[ "$4" = docker://docker.io/library/node:20-bookworm-slim ] && echo '${answer}'\n`,
        {
          mode: 0o755,
        },
      );
    const run = () =>
      spawnSync('sh', [join(tmp, 'pin-base-image.sh')], {
        encoding: 'utf8',
        env: { ...process.env, PATH: `${tmp}${delimiter}${process.env.PATH ?? ''}` },
      });
    fake('not-a-digest');
    assert.equal(run().status, 1);
    assert.equal(readFileSync(join(tmp, 'Dockerfile'), 'utf8'), text, 'unchanged on a bad answer');
    fake(digest);
    const ok = run();
    assert.equal(ok.status, 0, ok.stderr);
    const pinned = readFileSync(join(tmp, 'Dockerfile'), 'utf8');
    assert.match(pinned, new RegExp(`^ARG BASE_IMAGE=node:20-bookworm-slim@${digest}$`, 'm'));
    assert.equal(pinned.split('\n').length, text.split('\n').length, 'only that line changes');
  });

  test('.dockerignore keeps installed trees, history and credentials out of the build context', () => {
    const ignored = readFileSync(join(ROOT, '.dockerignore'), 'utf8')
      .split('\n')
      .map((l) => l.trim())
      .filter((l) => l && !l.startsWith('#'));
    for (const p of ['.git', 'node_modules', 'dist', '.cache', '.npmrc', '.env', '.env.*'])
      assert.ok(ignored.includes(p), `.dockerignore lists ${p}`);
    assert.ok(!ignored.some((p) => /tgz/.test(p)), 'docs/ci/k8s/Dockerfile copies the packed tarball');
  });
});

describe('deploy/compose.yaml', () => {
  const compose = parseYaml(readFileSync(join(DEPLOY, 'compose.yaml'), 'utf8')) as Obj;
  const svc = compose.services['mcp-sentinel'] as Obj;
  const dockerUser = /^USER (\S+)$/m.exec(readFileSync(join(DEPLOY, 'Dockerfile'), 'utf8'))![1];

  test('the same hardening as the image and the pods', () => {
    assert.equal(svc.read_only, true);
    assert.equal(svc.user, dockerUser);
    assert.deepEqual(svc.cap_drop, ['ALL']);
    assert.equal(svc.cap_add, undefined);
    assert.notEqual(svc.privileged, true);
    assert.ok(svc.security_opt.includes('no-new-privileges:true'));
    // Writable: the tmpfs mounts and the named volumes (`name:/target`); the bind mount is read-only (below).
    const named = (svc.volumes as unknown[]).filter((v): v is string => typeof v === 'string');
    for (const v of named) assert.ok(v.split(':')[0]! in compose.volumes, `${v} is a declared named volume`);
    const writable = [...svc.tmpfs.map((t: string) => t.split(':')[0]), ...named.map((v) => v.split(':')[1])];
    assert.deepEqual(writable.sort(), SERVE.writable);
    assert.deepEqual(svc.command, SERVE.args);
    assert.deepEqual(svc.build, { context: '..', dockerfile: 'deploy/Dockerfile' });
    assert.ok(svc.healthcheck.test.join(' ').includes(`http://127.0.0.1:${SERVE.port}${SERVE.health}`));
    assert.ok(svc.mem_limit && svc.pids_limit, 'memory and process limits');
  });

  test('the token is a Compose secret read from a file, and the code to scan is bound read-only', () => {
    assert.deepEqual(svc.secrets, ['mcp-sentinel-token']);
    assert.equal(svc.environment.MCP_SENTINEL_TOKEN_FILE, '/run/secrets/mcp-sentinel-token');
    assert.equal(svc.environment.MCP_SENTINEL_TOKEN, undefined, 'no token value in the file');
    assert.ok(compose.secrets['mcp-sentinel-token'].file);
    assert.match(readFileSync(join(DEPLOY, '.gitignore'), 'utf8'), /^secrets\/$/m, 'the token file is never committed');
    const binds = (svc.volumes as Obj[]).filter((v) => typeof v === 'object' && v.type === 'bind');
    assert.deepEqual(
      binds.map((v) => [v.target, v.read_only]),
      [['/scan', true]],
    );
    assert.ok(
      svc.ports.every((p: string) => p.startsWith('127.0.0.1:')),
      'published on loopback only',
    );
  });
});

describe('deploy/k8s/', () => {
  const deployment = one('Deployment');
  const pod = deployment.spec.template.spec as Obj;
  const podLabels = deployment.spec.template.metadata.labels as Obj;
  const config = one('ConfigMap').data as Obj;

  test('kustomization.yaml applies every manifest but the Secret placeholder, all in one namespace', () => {
    const kustomization = parseYaml(readFileSync(join(K8S, 'kustomization.yaml'), 'utf8')) as Obj;
    const files = readdirSync(K8S).filter((f) => /\.ya?ml$/.test(f) && f !== 'kustomization.yaml');
    assert.deepEqual([...kustomization.resources].sort(), files.filter((f) => f !== 'secret.yaml').sort());
    const ns = one('Namespace');
    for (const { file, obj } of k8sObjects())
      if (obj.kind !== 'Namespace') assert.equal(obj.metadata.namespace, ns.metadata.name, file);
    assert.equal(ns.metadata.labels['pod-security.kubernetes.io/enforce'], 'restricted');
    const kinds = new Set(k8sObjects().map((o) => o.obj.kind));
    for (const k of ['Namespace', 'ConfigMap', 'Secret', 'Deployment', 'Service', 'HorizontalPodAutoscaler'])
      assert.ok(kinds.has(k), k);
    for (const k of ['NetworkPolicy', 'PodDisruptionBudget', 'ServiceAccount']) assert.ok(kinds.has(k), k);
  });

  test('the Secret is a placeholder with an empty token, which the service refuses to start with', () => {
    const secret = one('Secret');
    assert.deepEqual(secret.stringData, { token: '' });
    assert.equal(secret.data, undefined);
  });

  test('every container runs restricted, with limits and probes on the service endpoints', () => {
    assert.equal(pod.automountServiceAccountToken, false);
    assert.equal(one('ServiceAccount').automountServiceAccountToken, false);
    assert.ok(pod.securityContext.runAsNonRoot && pod.securityContext.runAsUser > 0);
    const dockerUser = Number(/^USER (\d+)/m.exec(readFileSync(join(DEPLOY, 'Dockerfile'), 'utf8'))![1]);
    const containers = [...pod.containers, ...(pod.initContainers ?? [])] as Obj[];
    for (const c of containers) {
      assertHardened(`container ${c.name}`, pod, c);
      assert.equal(c.securityContext.runAsUser ?? pod.securityContext.runAsUser, dockerUser, 'the image user');
      for (const r of ['cpu', 'memory']) {
        assert.ok(c.resources?.requests?.[r], `${c.name}: requests.${r}`);
        assert.ok(c.resources?.limits?.[r], `${c.name}: limits.${r}`);
      }
      assert.equal(c.livenessProbe?.httpGet?.path, SERVE.health, `${c.name}: liveness`);
      assert.equal(c.readinessProbe?.httpGet?.path, SERVE.ready, `${c.name}: readiness`);
      const portOf = (p: unknown) => c.ports.find((x: Obj) => x.name === p || x.containerPort === p)?.containerPort;
      assert.equal(portOf(c.livenessProbe.httpGet.port), SERVE.port);
      assert.equal(portOf(c.readinessProbe.httpGet.port), SERVE.port);
    }
  });

  test('the container runs the serve command; its $(VARS) come from the ConfigMap', () => {
    const [c] = pod.containers as Obj[];
    const args = splitArgs(c!.args);
    for (let i = 0; i < SERVE.args.length; i += 2)
      if (SERVE.args[i]!.startsWith('--')) assert.equal(args[args.indexOf(SERVE.args[i]!) + 1], SERVE.args[i + 1]);
      else assert.equal(args[0], 'serve');
    const refs = c!.args.join(' ').match(/\$\((\w+)\)/g) ?? [];
    for (const ref of refs) assert.ok(ref.slice(2, -1) in config, `${ref} is in the ConfigMap`);
    assert.deepEqual(c!.envFrom, [{ configMapRef: { name: one('ConfigMap').metadata.name } }]);
    const shutdownMs = Number(config.MCP_SENTINEL_SERVE_SHUTDOWN_MS);
    assert.ok(pod.terminationGracePeriodSeconds * 1000 > shutdownMs, 'SIGTERM drains before the kill');
  });

  test('only /tmp and /cache are writable (emptyDirs); the token is a mounted Secret file', () => {
    const [c] = pod.containers as Obj[];
    const volumes = new Map((pod.volumes as Obj[]).map((v) => [v.name, v]));
    const writable = (c!.volumeMounts as Obj[]).filter((m) => m.readOnly !== true);
    assert.deepEqual(writable.map((m) => m.mountPath).sort(), SERVE.writable);
    for (const m of writable) assert.ok(volumes.get(m.name)?.emptyDir?.sizeLimit, `${m.mountPath}: a sized emptyDir`);
    const env = new Map((c!.env as Obj[]).map((e) => [e.name, e.value]));
    assert.equal(env.get('TMPDIR'), '/tmp');
    assert.equal(env.get('MCP_SENTINEL_TOKEN'), undefined);
    const tokenFile = env.get('MCP_SENTINEL_TOKEN_FILE') as string;
    const mount = (c!.volumeMounts as Obj[]).find((m) => tokenFile.startsWith(`${m.mountPath}/`))!;
    assert.equal(volumes.get(mount.name)?.secret?.secretName, one('Secret').metadata.name);
    assert.equal((c!.volumeMounts as Obj[]).find((m) => m.mountPath === '/scan')?.readOnly, true);
  });

  test('the Service, autoscaler and disruption budget point at the deployment', () => {
    const svc = one('Service');
    assert.deepEqual(svc.spec.selector, podLabels);
    assert.equal(svc.spec.type, 'ClusterIP');
    const hpa = one('HorizontalPodAutoscaler');
    assert.deepEqual(hpa.spec.scaleTargetRef, {
      apiVersion: 'apps/v1',
      kind: 'Deployment',
      name: deployment.metadata.name,
    });
    const pdb = one('PodDisruptionBudget');
    assert.deepEqual(pdb.spec.selector.matchLabels, podLabels);
    assert.ok(hpa.spec.minReplicas > pdb.spec.minAvailable, 'a drain can always evict one pod');
  });

  test('the network policy: 8080 in from labelled namespaces; out only DNS and public 443', () => {
    const np = one('NetworkPolicy');
    assert.deepEqual(np.spec.podSelector.matchLabels, podLabels);
    assert.deepEqual([...np.spec.policyTypes].sort(), ['Egress', 'Ingress']);
    for (const rule of np.spec.ingress as Obj[]) {
      assert.deepEqual(rule.ports, [{ port: SERVE.port, protocol: 'TCP' }]);
      assert.ok(rule.from?.length > 0, 'never from everywhere');
      for (const peer of rule.from) {
        assert.deepEqual(Object.keys(peer), ['namespaceSelector']);
        assert.ok(Object.keys(peer.namespaceSelector.matchLabels ?? {}).length > 0, 'a labelled namespace');
      }
    }
    const egressPorts = (np.spec.egress as Obj[]).flatMap((r) => r.ports.map((p: Obj) => `${p.port}/${p.protocol}`));
    assert.deepEqual([...new Set(egressPorts)].sort(), ['443/TCP', '53/TCP', '53/UDP']);
    for (const rule of np.spec.egress as Obj[]) {
      assert.ok(rule.to?.length > 0, 'never to everywhere');
      if (rule.ports.some((p: Obj) => p.port === 443))
        for (const peer of rule.to) {
          const except: string[] = peer.ipBlock.except;
          const needed = peer.ipBlock.cidr === '0.0.0.0/0' ? ['10.0.0.0/8', '169.254.0.0/16'] : ['fc00::/7'];
          for (const range of needed) assert.ok(except.includes(range), `443 excludes ${range}`);
        }
    }
  });
});

describe('docs/ci/k8s/: the CI recipe runs hardened too', () => {
  test('the image runs as a numeric non-root user, and every Job container is restricted', () => {
    const users = parseDockerfile(readFileSync(join(CI_K8S, 'Dockerfile'), 'utf8')).filter((i) => i.keyword === 'USER');
    assert.match(users[users.length - 1]?.args ?? '', /^[1-9]\d*(:\d+)?$/);
    for (const file of ['indexed-job.yaml', 'merge-job.yaml'])
      for (const job of yamlDocs(join(CI_K8S, file)).filter((d) => d.kind === 'Job')) {
        const pod = job.spec.template.spec as Obj;
        assert.equal(pod.automountServiceAccountToken, false, file);
        for (const c of [...pod.containers, ...(pod.initContainers ?? [])] as Obj[]) {
          assertHardened(`${file} ${c.name}`, pod, c);
          // With a read-only root, each container writes only to mounted volumes: /tmp and its outputs.
          assert.ok(
            (c.volumeMounts as Obj[]).some((m) => m.mountPath === '/tmp'),
            `${file} ${c.name}: a writable /tmp`,
          );
        }
      }
  });
});
