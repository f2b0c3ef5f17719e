import type { Rule } from '../../core/rule';
import { mcpConfigCodeLoadingEnv, mcpConfigDockerPrivileged, mcpConfigTlsVerificationDisabled } from './envAndDocker';
import { mcpConfigAutoApproveDangerous } from './autoApprove';
import { mcpConfigUnpinnedImage } from './containerImage';
import { mcpConfigParseError } from './parseError';
import { mcpConfigPlaintextSecret } from './plaintextSecret';
import { mcpConfigBroadFilesystemRoot, mcpConfigInsecureUrl } from './remoteAndFiles';
import { mcpConfigRemoteScript, mcpConfigShellWrapper } from './shellWrapper';
import { mcpConfigUnpinnedPackage } from './unpinnedPackage';

/** The MCP client config rule pack (.vscode/mcp.json, .cursor/mcp.json, .mcp.json, Claude Desktop, Windsurf, Cline, VS Code settings). */
export const configRules: Rule[] = [
  mcpConfigParseError,
  mcpConfigPlaintextSecret,
  mcpConfigUnpinnedPackage,
  mcpConfigShellWrapper,
  mcpConfigRemoteScript,
  mcpConfigInsecureUrl,
  mcpConfigBroadFilesystemRoot,
  mcpConfigCodeLoadingEnv,
  mcpConfigTlsVerificationDisabled,
  mcpConfigDockerPrivileged,
  mcpConfigUnpinnedImage,
  mcpConfigAutoApproveDangerous,
];
