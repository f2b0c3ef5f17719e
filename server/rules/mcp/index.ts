import type { Rule } from '../../core/rule';
import { toolDefinitionDrift } from './drift';
import { exfiltrationParameter } from './exfiltrationParameter';
import { falseAuthority, preferenceManipulation } from './manipulation';
import { suspiciousToolName } from './names';
import {
  coerciveOrdering,
  concealment,
  hiddenBehaviour,
  instructionOverride,
  pseudoTag,
  sensitiveFileRequest,
} from './phrases';
import { rugPullPattern } from './rugPull';
import { toolExposesEnvironment, toolReadsCredentialFile } from './secretExposure';
import { toolShadowing } from './shadowing';
import { ansiEscape, hiddenUnicode } from './unicode';

/**
 * The MCP rule pack: detectors that read extracted MCP metadata (server/analysis/mcp) rather than raw lines.
 * Poisoning rules look only at model-visible strings; see each module for what it reports and why.
 */
export const mcpRules: Rule[] = [
  instructionOverride,
  concealment,
  pseudoTag,
  coerciveOrdering,
  preferenceManipulation,
  falseAuthority,
  toolShadowing,
  sensitiveFileRequest,
  exfiltrationParameter,
  hiddenBehaviour,
  hiddenUnicode,
  ansiEscape,
  suspiciousToolName,
  rugPullPattern,
  toolDefinitionDrift,
  toolExposesEnvironment,
  toolReadsCredentialFile,
];
