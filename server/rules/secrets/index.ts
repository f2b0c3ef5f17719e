import type { Rule } from '../../engine/rule';

/** The secrets rule pack. */
export const secretsRules: Rule[] = [];
