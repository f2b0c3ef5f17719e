import type { Finding } from '../../shared/types';
import { roleOfPath, type FileRole } from '../core/fileRole';
import type { Rule } from '../core/rule';

/**
 * The one place where a file's role (`core/fileRole.ts`) changes what is reported. In test, script and build
 * files, the findings of source-only rules (`Rule.sourceOnly`: generic sink and secret heuristics) are left out
 * unless the project includes tests, because there they are almost always deliberate (a test that spawns the
 * server, a fake token in a fixture, a release script that runs `git` with the maintainer's own arguments) and a
 * scanner that reports them loses the reader's trust in everything else. Every other rule (provider tokens, MCP
 * configs, deployment files, suppression meta findings) is untouched.
 *
 * The step runs after the suppression passes, so that an inline directive or a baseline entry that covered such a
 * finding still counts as used and no "unused suppression" finding appears because of it.
 */
export interface HiddenByRole {
  /** The findings that are reported. */
  findings: Finding[];
  /** How many unsuppressed findings were left out (suppressed ones are dropped without being counted). */
  hidden: number;
  /** The unsuppressed findings that were left out, and why, for the `--verbose` log (empty when none). */
  left: { finding: Finding; reason: string }[];
}

/** Why a source-only finding is left out of a file of this role, as the `--verbose` log says it. */
const ROLE_REASON: Record<Exclude<FileRole, 'source'>, string> = {
  test: 'in a test, spec or fixture file (--include-tests shows it)',
  script: 'in a maintainer script (--include-tests shows it)',
  build: 'in a build config (--include-tests shows it)',
};

/**
 * Drops the findings of source-only rules when `file` (relative to the project root) is not source code and
 * `includeTests` is false. `ruleOf` finds a finding's rule by id (unknown ids are kept).
 */
export function hideOutsideSource(
  findings: Finding[],
  file: string,
  includeTests: boolean,
  ruleOf: (id: string) => Pick<Rule, 'sourceOnly'> | undefined,
): HiddenByRole {
  if (includeTests || findings.length === 0) return { findings, hidden: 0, left: [] };
  const role = roleOfPath(file);
  if (role === 'source') return { findings, hidden: 0, left: [] };
  const left: HiddenByRole['left'] = [];
  const kept = findings.filter((f) => {
    if (!ruleOf(f.ruleId)?.sourceOnly) return true;
    if (!f.suppressed) left.push({ finding: f, reason: ROLE_REASON[role] });
    return false;
  });
  return { findings: kept, hidden: left.length, left };
}
