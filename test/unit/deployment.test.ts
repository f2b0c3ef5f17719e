// Deployment rules on shapes the one-line samples do not cover: Dockerfile continuation lines (offsets must
// survive the join), multi-document Kubernetes files, CronJobs, and YAML that is neither Kubernetes nor Compose.
import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { Engine } from '../../server/engine/engine';
import { scanText } from './helpers';
import { createBackend } from '../../server/core/regex';
import { deploymentRules } from '../../server/rules/deployment';
import { parseDockerfile } from '../../server/rules/deployment/dockerfile';

const engine = new Engine(deploymentRules, {}, createBackend('js'));

function found(path: string, text: string): string[] {
  const r = scanText(engine, path, text);
  assert.deepEqual(r.errors, []);
  const lines = text.split('\n');
  return r.findings.map(
    (f) =>
      `${f.ruleId} ${lines[f.range.start.line]!.slice(f.range.start.character, f.range.start.line === f.range.end.line ? f.range.end.character : undefined)}`,
  );
}

describe('deployment rules', () => {
  test('Dockerfile continuation lines keep exact offsets', () => {
    const text =
      'FROM node:20-slim\nENV NODE_ENV=production \\\n    # a comment inside the continuation\n    API_TOKEN=Zr7Qp2Lx9Vt4Mn8K\nUSER node\n';
    const ins = parseDockerfile(text);
    assert.deepEqual(
      ins.map((i) => i.keyword),
      ['FROM', 'ENV', 'USER'],
    );
    assert.deepEqual(found('Dockerfile', text), ['dockerfile-secret-in-env Zr7Qp2Lx9Vt4Mn8K']);
  });

  test('USER set before the final stage does not carry into an unrelated base', () => {
    const text = 'FROM node:20 AS build\nUSER node\nRUN npm ci\nFROM node:20-slim\nCOPY --from=build /app /app\n';
    assert.deepEqual(found('Dockerfile', text), ['dockerfile-runs-as-root node:20-slim']);
  });

  test('multi-document Kubernetes file with a CronJob and a Service', () => {
    const text = [
      'apiVersion: v1',
      'kind: Service',
      'metadata: { name: mcp }',
      'spec: { ports: [{ port: 80 }] }',
      '---',
      'apiVersion: batch/v1',
      'kind: CronJob',
      'spec:',
      '  jobTemplate:',
      '    spec:',
      '      template:',
      '        spec:',
      '          containers:',
      '            - name: sync',
      '              image: acme/sync:1',
      '              securityContext:',
      '                privileged: true',
      '',
    ].join('\n');
    assert.deepEqual(found('k8s/all.yaml', text), ['k8s-missing-hardening sync', 'k8s-privileged-container true']);
  });

  test('the restricted profile asks for dropped capabilities and a seccomp profile, on the container or the pod', () => {
    const pod = (podContext: string, containerExtra: string) =>
      [
        'apiVersion: v1',
        'kind: Pod',
        'spec:',
        `  securityContext: { runAsNonRoot: true${podContext} }`,
        '  containers:',
        '    - name: mcp',
        '      image: ghcr.io/acme/mcp:1.2.0',
        '      securityContext:',
        '        allowPrivilegeEscalation: false',
        '        readOnlyRootFilesystem: true',
        containerExtra,
        '',
      ].join('\n');
    const message = (text: string) =>
      scanText(engine, 'pod.yaml', text)
        .findings.filter((f) => f.ruleId === 'k8s-missing-hardening')
        .map((f) => f.message);
    assert.deepEqual(message(pod('', '')), [
      'Container "mcp" of this Pod does not set capabilities.drop: [ALL], seccompProfile: RuntimeDefault.',
    ]);
    // The pod's seccomp profile covers its containers; `all` in any case is ALL.
    assert.deepEqual(
      message(pod(', seccompProfile: { type: RuntimeDefault }', '        capabilities: { drop: [all] }')),
      [],
    );
    // The container's own profile wins over the pod's, and Localhost counts.
    assert.deepEqual(
      message(
        pod(
          ', seccompProfile: { type: Unconfined }',
          '        capabilities: { drop: [ALL] }\n        seccompProfile: { type: Localhost, localhostProfile: mcp.json }',
        ),
      ),
      [],
    );
  });

  test('YAML that is neither Kubernetes nor Compose stays quiet', () => {
    const text =
      'name: ci\non: push\njobs:\n  build:\n    runs-on: ubuntu-latest\n    services:\n      db:\n        image: postgres:16\n        env: { POSTGRES_PASSWORD: postgres }\n';
    // GitHub Actions job services use `env`, not Compose's `environment`, and live under jobs: not reported here.
    assert.deepEqual(found('.github/workflows/ci.yml', text), []);
  });

  test('invalid YAML does not throw', () => {
    assert.deepEqual(found('deploy.yaml', 'apiVersion: v1\nkind: Pod\nspec: [unclosed\n'), []);
  });
});
