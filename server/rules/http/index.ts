import type { Rule } from '../../core/rule';
import { corsAnyOriginWithCredentials } from './cors';

/** Rules about the HTTP surface of MCP servers and bridges (transports, CORS). */
export const httpRules: Rule[] = [corsAnyOriginWithCredentials];
