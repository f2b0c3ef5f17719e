import { defineRule, type DetectContext, type RawFinding, type Span } from '../../core/rule';
import { dropsAll, get, items, scalar, spanOf, yamlRoots } from './yamlTree';

/** A container of a Kubernetes workload, with the pod spec it runs in. */
interface K8sContainer {
  /** The workload kind (Deployment, Pod, …). */
  kind: string;
  /** The container node. */
  node: unknown;
  /** The pod spec node. */
  pod: unknown;
  /** The container's name, for messages. */
  name: string;
  /** Where a finding about something missing goes: the container's name value, or its first key. */
  anchor: Span;
}

const WORKLOADS: Record<string, string[]> = {
  Pod: ['spec'],
  Deployment: ['spec', 'template', 'spec'],
  StatefulSet: ['spec', 'template', 'spec'],
  DaemonSet: ['spec', 'template', 'spec'],
  ReplicaSet: ['spec', 'template', 'spec'],
  ReplicationController: ['spec', 'template', 'spec'],
  Job: ['spec', 'template', 'spec'],
  CronJob: ['spec', 'jobTemplate', 'spec', 'template', 'spec'],
};

/** Every workload pod spec in the file, with its kind and where the kind is written. */
function podSpecs(ctx: DetectContext): { kind: string; pod: unknown; kindSpan: Span }[] {
  return ctx.memo('yaml:k8s-pods', () =>
    yamlRoots(ctx).flatMap((root) => {
      const kind = scalar(get(root, 'kind'));
      if (typeof kind !== 'string' || !WORKLOADS[kind] || scalar(get(root, 'apiVersion')) === undefined) return [];
      const pod = get(root, ...WORKLOADS[kind]!);
      const kindSpan = spanOf(get(root, 'kind'));
      return pod && kindSpan ? [{ kind, pod, kindSpan }] : [];
    }),
  );
}

function containers(ctx: DetectContext): K8sContainer[] {
  return podSpecs(ctx).flatMap(({ kind, pod, kindSpan }) =>
    [...items(get(pod, 'containers')), ...items(get(pod, 'initContainers'))].map((node) => {
      const nameNode = get(node, 'name');
      return { kind, node, pod, name: String(scalar(nameNode) ?? '?'), anchor: spanOf(nameNode) ?? kindSpan };
    }),
  );
}

/** A security setting: the container's own value wins over the pod's. */
function effective(c: K8sContainer, key: string): { value: unknown; node: unknown } | undefined {
  const own = get(c.node, 'securityContext', key);
  if (own !== undefined) return { value: scalar(own), node: own };
  const pod = get(c.pod, 'securityContext', key);
  return pod !== undefined ? { value: scalar(pod), node: pod } : undefined;
}

const META = {
  category: 'deployment-hardening' as const,
  owasp: ['A05:2021'],
  kinds: ['yaml' as const],
  keywords: ['apiVersion'],
};

export const k8sPrivilegedContainer = defineRule({
  ...META,
  id: 'k8s-privileged-container',
  title: 'Privileged container',
  description:
    "A privileged container has every capability and the host's devices, so whoever controls the server process controls the node.",
  severity: 'high',
  cwe: ['CWE-250'],
  docs: 'Remove `privileged: true`. If the server needs one capability, add only that one under `capabilities.add`.',
  detect(ctx) {
    const out: RawFinding[] = [];
    for (const c of containers(ctx)) {
      const n = get(c.node, 'securityContext', 'privileged');
      const s = spanOf(n);
      if (scalar(n) === true && s)
        out.push({
          ...s,
          message: `Container "${c.name}" of this ${c.kind} runs privileged; remove privileged: true.`,
        });
    }
    return out;
  },
  positive: [
    {
      path: 'k8s/deploy.yaml',
      code: 'apiVersion: apps/v1\nkind: Deployment\nmetadata: { name: mcp }\nspec:\n  template:\n    spec:\n      containers:\n        - name: mcp\n          image: ghcr.io/acme/mcp:1.2.0\n          securityContext:\n            privileged: «true»\n',
    },
  ],
  negative: [
    {
      path: 'k8s/deploy.yaml',
      code: 'apiVersion: apps/v1\nkind: Deployment\nspec:\n  template:\n    spec:\n      containers:\n        - name: mcp\n          image: ghcr.io/acme/mcp:1.2.0\n          securityContext:\n            privileged: false\n',
    },
  ],
});

export const k8sRunsAsRoot = defineRule({
  ...META,
  id: 'k8s-run-as-root',
  title: 'Container explicitly runs as root',
  description:
    'runAsUser: 0 or runAsNonRoot: false makes the server run as root inside the pod, so any code execution in it starts with root rights.',
  severity: 'medium',
  cwe: ['CWE-250'],
  docs: 'Set `runAsNonRoot: true` and a non-zero `runAsUser` in the pod or container `securityContext`.',
  detect(ctx) {
    const out: RawFinding[] = [];
    const seen = new Set<unknown>();
    for (const c of containers(ctx)) {
      for (const key of ['runAsUser', 'runAsNonRoot']) {
        const e = effective(c, key);
        if (!e || seen.has(e.node)) continue;
        const bad = key === 'runAsUser' ? e.value === 0 : e.value === false;
        const s = spanOf(e.node);
        if (bad && s) {
          seen.add(e.node);
          out.push({
            ...s,
            message: `Container "${c.name}" of this ${c.kind} runs as root (${key}: ${String(e.value)}); use a non-root user.`,
          });
        }
      }
    }
    return out;
  },
  positive: [
    {
      path: 'pod.yaml',
      code: 'apiVersion: v1\nkind: Pod\nspec:\n  securityContext:\n    runAsUser: «0»\n  containers:\n    - name: mcp\n      image: acme/mcp:1\n      securityContext:\n        runAsNonRoot: «false»\n',
    },
  ],
  negative: [
    {
      path: 'pod.yaml',
      code: 'apiVersion: v1\nkind: Pod\nspec:\n  securityContext:\n    runAsUser: 1000\n    runAsNonRoot: true\n  containers:\n    - name: mcp\n      image: acme/mcp:1\n',
    },
  ],
});

export const k8sPrivilegeEscalation = defineRule({
  ...META,
  id: 'k8s-privilege-escalation',
  title: 'Container allows privilege escalation',
  description:
    'allowPrivilegeEscalation: true lets a process in the server container gain more rights than it started with (setuid binaries, file capabilities).',
  severity: 'medium',
  cwe: ['CWE-269'],
  docs: "Set `allowPrivilegeEscalation: false` in each container's `securityContext`.",
  detect(ctx) {
    const out: RawFinding[] = [];
    for (const c of containers(ctx)) {
      const n = get(c.node, 'securityContext', 'allowPrivilegeEscalation');
      const s = spanOf(n);
      if (scalar(n) === true && s)
        out.push({
          ...s,
          message: `Container "${c.name}" of this ${c.kind} allows privilege escalation; set allowPrivilegeEscalation: false.`,
        });
    }
    return out;
  },
  positive: [
    {
      path: 'job.yaml',
      code: 'apiVersion: batch/v1\nkind: Job\nspec:\n  template:\n    spec:\n      containers:\n        - name: mcp\n          image: acme/mcp:1\n          securityContext: { allowPrivilegeEscalation: «true» }\n',
    },
  ],
  negative: [
    {
      path: 'job.yaml',
      code: 'apiVersion: batch/v1\nkind: Job\nspec:\n  template:\n    spec:\n      containers:\n        - name: mcp\n          image: acme/mcp:1\n          securityContext: { allowPrivilegeEscalation: false }\n',
    },
  ],
});

const SENSITIVE_HOST_PATHS = new Set([
  '/',
  '/etc',
  '/root',
  '/home',
  '/var/run/docker.sock',
  '/run/containerd/containerd.sock',
  '/var/lib/kubelet',
  '/proc',
  '/sys',
]);

export const k8sHostAccess = defineRule({
  ...META,
  id: 'k8s-host-access',
  title: "Pod shares the host's namespaces or sensitive paths",
  description:
    'hostNetwork, hostPID, hostIPC or a hostPath mount of /, /etc, the home folders or the container runtime socket break the isolation between the server and the node.',
  severity: 'medium',
  cwe: ['CWE-250', 'CWE-668'],
  docs:
    'Remove `hostNetwork`, `hostPID` and `hostIPC`, and replace hostPath mounts with volumes scoped to what the server ' +
    'needs. A mounted runtime socket or `/` is reported as high: it hands over the node.',
  detect(ctx) {
    const out: RawFinding[] = [];
    for (const { kind, pod } of podSpecs(ctx)) {
      for (const key of ['hostNetwork', 'hostPID', 'hostIPC']) {
        const n = get(pod, key);
        const s = spanOf(n);
        if (scalar(n) === true && s)
          out.push({
            ...s,
            message: `This ${kind} shares the host's ${key.slice(4)} namespace (${key}: true); remove it.`,
          });
      }
      for (const v of items(get(pod, 'volumes'))) {
        const p = get(v, 'hostPath', 'path');
        const path = scalar(p);
        const s = spanOf(p);
        if (typeof path === 'string' && SENSITIVE_HOST_PATHS.has(path.replace(/\/+$/, '') || '/') && s) {
          out.push({
            ...s,
            severity: 'high',
            message: `This ${kind} mounts the host's ${path}; mount only what the server needs.`,
          });
        }
      }
    }
    return out;
  },
  positive: [
    {
      path: 'ds.yaml',
      code: 'apiVersion: apps/v1\nkind: DaemonSet\nspec:\n  template:\n    spec:\n      hostPID: «true»\n      containers: [{ name: mcp, image: "acme/mcp:1" }]\n      volumes:\n        - name: root\n          hostPath:\n            path: «/»\n',
    },
  ],
  negative: [
    {
      path: 'ds.yaml',
      code: 'apiVersion: apps/v1\nkind: DaemonSet\nspec:\n  template:\n    spec:\n      hostPID: false\n      containers: [{ name: mcp, image: "acme/mcp:1" }]\n      volumes:\n        - name: data\n          hostPath:\n            path: /var/lib/mcp-data\n',
    },
  ],
});

export const k8sMissingHardening = defineRule({
  ...META,
  id: 'k8s-missing-hardening',
  title: 'Container lacks the restricted security settings',
  description:
    'A container that does not set runAsNonRoot, allowPrivilegeEscalation: false, a dropped capability set, a seccomp profile and readOnlyRootFilesystem runs with defaults that give an attacker in the server more room than needed.',
  severity: 'low',
  cwe: ['CWE-250'],
  docs:
    "Kubernetes' restricted Pod Security profile asks every container for `runAsNonRoot: true`, " +
    '`allowPrivilegeEscalation: false`, `capabilities: { drop: [ALL] }` and a seccomp profile (`seccompProfile: ' +
    '{ type: RuntimeDefault }` on the container or the pod; `Unconfined` does not count); ' +
    '`readOnlyRootFilesystem: true` stops an attacker from dropping tools into the image. The missing settings are ' +
    'reported together, once per container, on its name; explicit bad values have their own rules.',
  detect(ctx) {
    const out: RawFinding[] = [];
    for (const c of containers(ctx)) {
      const missing: string[] = [];
      const nonRoot = effective(c, 'runAsNonRoot');
      const user = effective(c, 'runAsUser');
      if (nonRoot === undefined && !(typeof user?.value === 'number' && user.value > 0))
        missing.push('runAsNonRoot: true');
      if (effective(c, 'allowPrivilegeEscalation') === undefined) missing.push('allowPrivilegeEscalation: false');
      if (!dropsAll(get(c.node, 'securityContext', 'capabilities', 'drop'))) missing.push('capabilities.drop: [ALL]');
      const seccomp = scalar(get(effective(c, 'seccompProfile')?.node, 'type'));
      if (seccomp !== 'RuntimeDefault' && seccomp !== 'Localhost') missing.push('seccompProfile: RuntimeDefault');
      if (get(c.node, 'securityContext', 'readOnlyRootFilesystem') === undefined)
        missing.push('readOnlyRootFilesystem: true');
      if (missing.length > 0)
        out.push({
          ...c.anchor,
          message: `Container "${c.name}" of this ${c.kind} does not set ${missing.join(', ')}.`,
        });
    }
    return out;
  },
  positive: [
    {
      path: 'deploy.yaml',
      code: 'apiVersion: apps/v1\nkind: Deployment\nspec:\n  template:\n    spec:\n      containers:\n        - name: «mcp-server»\n          image: ghcr.io/acme/mcp:1.2.0\n          ports: [{ containerPort: 8080 }]\n',
    },
    {
      // Everything but the capabilities (only some dropped) and the seccomp profile (Unconfined).
      path: 'pod.yaml',
      code: 'apiVersion: v1\nkind: Pod\nspec:\n  securityContext: { runAsNonRoot: true, seccompProfile: { type: Unconfined } }\n  containers:\n    - name: «mcp»\n      image: ghcr.io/acme/mcp:1.2.0\n      securityContext:\n        allowPrivilegeEscalation: false\n        readOnlyRootFilesystem: true\n        capabilities: { drop: [NET_RAW] }\n',
    },
  ],
  negative: [
    {
      path: 'deploy.yaml',
      code: 'apiVersion: apps/v1\nkind: Deployment\nspec:\n  template:\n    spec:\n      securityContext: { runAsNonRoot: true, runAsUser: 10001, seccompProfile: { type: RuntimeDefault } }\n      containers:\n        - name: mcp-server\n          image: ghcr.io/acme/mcp:1.2.0\n          securityContext:\n            allowPrivilegeEscalation: false\n            readOnlyRootFilesystem: true\n            capabilities: { drop: [ALL] }\n',
    },
    {
      path: '.github/workflows/ci.yml',
      code: 'name: ci\non: push\njobs:\n  test:\n    runs-on: ubuntu-latest\n    container: node:20\n',
    },
  ],
});
