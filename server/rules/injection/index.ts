import type { Rule } from '../../engine/rule';

/** The injection rule pack. */
export const injectionRules: Rule[] = [];
