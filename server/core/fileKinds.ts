import type { FileKind } from '../../shared/types';

/** File names (lower case) that MCP clients read as their server config. */
const MCP_CONFIG_NAMES = new Set([
  '.mcp.json',
  'mcp.json',
  'claude_desktop_config.json',
  'mcp_config.json',
  'mcp_settings.json',
  'cline_mcp_settings.json',
  'mcp-servers.json',
  'mcp_servers.json',
]);

const JS_EXT = /\.(?:[cm]?[jt]s|[jt]sx)$/i;

/**
 * Classifies a path (relative or absolute, any slashes) into the kind of file the rules understand, or
 * undefined for files the scanner does not read (images, archives, lock files and the like).
 */
export function classifyPath(path: string): FileKind | undefined {
  const p = path.replace(/\\/g, '/');
  const base = p.slice(p.lastIndexOf('/') + 1);
  const lower = base.toLowerCase();
  if (lower.endsWith('.d.ts')) return 'js';
  if (JS_EXT.test(lower)) return 'js';
  if (lower.endsWith('.py') || lower.endsWith('.pyi')) return 'python';
  if (MCP_CONFIG_NAMES.has(lower)) return 'mcp-config';
  if (lower === 'settings.json' || lower.endsWith('.code-workspace')) return 'vscode-settings';
  if (lower === 'package-lock.json' || lower === 'npm-shrinkwrap.json') return undefined;
  if (lower.endsWith('.json') || lower.endsWith('.jsonc') || lower.endsWith('.json5')) return 'json';
  if (lower === '.env' || lower.startsWith('.env.') || lower.endsWith('.env')) return 'dotenv';
  if (lower.endsWith('.yaml') || lower.endsWith('.yml')) return 'yaml';
  if (
    lower === 'dockerfile' ||
    lower.startsWith('dockerfile.') ||
    lower.endsWith('.dockerfile') ||
    lower === 'containerfile'
  )
    return 'dockerfile';
  if (
    /\.(?:toml|ini|cfg|conf|properties|sh|bash|zsh|ps1|tf|tfvars|xml|gradle|rb|go|java|kt|cs|php|rs|txt|npmrc|pypirc)$/.test(
      lower,
    )
  )
    return 'text';
  if (lower === '.npmrc' || lower === '.pypirc' || lower === '.netrc' || lower === '.dockercfg') return 'text';
  return undefined;
}
