// Metadata shared by the client-config rules.
import type { FileKind } from '../../../shared/types';

/** The file kinds that hold MCP server entries. */
export const CONFIG_KINDS: FileKind[] = ['mcp-config', 'vscode-settings'];

/**
 * Prefilter for rules that read server entries: every shape keys them under `servers`, `mcpServers` or
 * `mcp.servers`, so a document without the word cannot hold one (this keeps ordinary settings.json files cheap).
 */
export const SERVER_KEYWORDS = ['servers'];

/** The OWASP tag for MCP client configuration risks. */
export const OWASP_CONFIG = ['A05:2021'];
