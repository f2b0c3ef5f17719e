import type { Rule } from '../../engine/rule';

/** The mcp rule pack. */
export const mcpRules: Rule[] = [];
