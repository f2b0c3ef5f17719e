import type { Rule } from '../../core/rule';
import { jsCodeInjection, pyCodeInjection } from './code';
import { jsCommandInjection, pyCommandInjection } from './command';
import { jsSqlInjection, jsUnsafeDeserialization, pySqlInjection, pyUnsafeDeserialization } from './data';
import { jsPathPrefixContainment } from './pathPrefix';
import { cloudMetadataUrl, jsTlsVerificationDisabled, pyTlsVerificationDisabled } from './tls';
import { jsToolPathTraversal, jsToolSsrf, pyToolPathTraversal, pyToolSsrf } from './toolSinks';

/**
 * The injection rule pack: dangerous sinks (shell, code evaluation, SQL, deserialization) reported on their own
 * when fed non-literal input and escalated when an MCP tool parameter reaches them; file and URL sinks reported
 * only when a tool parameter reaches them; directory containment checks that a sibling directory passes; TLS
 * verification and cloud-metadata URLs.
 */
export const injectionRules: Rule[] = [
  jsCommandInjection,
  pyCommandInjection,
  jsCodeInjection,
  pyCodeInjection,
  jsSqlInjection,
  pySqlInjection,
  jsUnsafeDeserialization,
  pyUnsafeDeserialization,
  jsToolPathTraversal,
  pyToolPathTraversal,
  jsPathPrefixContainment,
  jsToolSsrf,
  pyToolSsrf,
  cloudMetadataUrl,
  jsTlsVerificationDisabled,
  pyTlsVerificationDisabled,
];
