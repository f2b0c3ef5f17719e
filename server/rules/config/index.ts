import type { Rule } from '../../engine/rule';

/** The config rule pack. */
export const configRules: Rule[] = [];
