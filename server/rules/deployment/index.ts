import type { Rule } from '../../core/rule';
import { composeDefaultPassword, composeMissingHardening, composePrivileged, composeRootUser } from './compose';
import {
  dockerfileInsecureDownload,
  dockerfilePipeToShell,
  dockerfileRemoteAdd,
  dockerfileRunsAsRoot,
  dockerfileSecretInEnv,
} from './dockerRules';
import {
  k8sHostAccess,
  k8sMissingHardening,
  k8sPrivilegedContainer,
  k8sPrivilegeEscalation,
  k8sRunsAsRoot,
} from './kubernetes';

/** The deployment-hardening rule pack: Dockerfiles, Kubernetes workloads and Compose services. */
export const deploymentRules: Rule[] = [
  dockerfileRunsAsRoot,
  dockerfileRemoteAdd,
  dockerfilePipeToShell,
  dockerfileInsecureDownload,
  dockerfileSecretInEnv,
  k8sPrivilegedContainer,
  k8sRunsAsRoot,
  k8sPrivilegeEscalation,
  k8sHostAccess,
  k8sMissingHardening,
  composePrivileged,
  composeRootUser,
  composeDefaultPassword,
  composeMissingHardening,
];
