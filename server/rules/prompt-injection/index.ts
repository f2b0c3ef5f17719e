import type { Rule } from '../../core/rule';
import { outputHiddenText, outputInjection, servedDataInjection } from './rules';

/**
 * The prompt-injection pack: poisoning phrases and hidden characters in the text an MCP server puts in front of the
 * model mid-task (what its handlers return, the data files it serves), as opposed to its tool metadata (mcp/).
 */
export const promptInjectionRules: Rule[] = [outputInjection, servedDataInjection, outputHiddenText];
