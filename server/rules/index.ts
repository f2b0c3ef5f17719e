import type { Rule } from '../core/rule';
import { capabilityPackRules } from './capabilities';
import { configRules } from './client-config';
import { cryptoRules } from './crypto';
import { deploymentRules } from './deployment';
import { httpRules } from './http';
import { injectionRules } from './injection';
import { mcpRules } from './mcp';
import { promptInjectionRules } from './prompt-injection';
import { secretsRules } from './secrets';

/** Every built-in rule, in a stable order. */
export const builtinRules: readonly Rule[] = [
  ...secretsRules,
  ...injectionRules,
  ...configRules,
  ...mcpRules,
  ...promptInjectionRules,
  ...deploymentRules,
  ...httpRules,
  ...cryptoRules,
  ...capabilityPackRules,
];
