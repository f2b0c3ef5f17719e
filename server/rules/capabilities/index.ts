import type { Rule } from '../../core/rule';
import { capabilityRules } from './inventory';
import { lethalTrifecta } from './trifecta';

/**
 * The capability pack: what each MCP tool can do (one info rule per capability, the inventory) and the one risk
 * that only the combination of a server's tools carries (the lethal trifecta).
 */
export const capabilityPackRules: Rule[] = [...capabilityRules, lethalTrifecta];
