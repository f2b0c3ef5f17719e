// Pins across releases: `pin --servers` records the tool definitions of each configured package in
// `.mcp-sentinel/package-pins.json` (the format of the local lock file, server/project/pins.ts, keyed by
// `npm:<name>`, each tool's file naming the pinned release), and `scan --servers` compares the release it vets with
// it. A tool whose definition changed, appeared or vanished between the pinned and the vetted release is reported
// with the drift rule the local lock file uses (`mcp-tool-definition-drift`): a rug pull across releases.
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { PROJECT_DIR } from '../../shared/projectFiles';
import { parsePins, type PinFile, type PinnedServer } from '../project/pins';
import type { ReportFinding } from '../reports/model';
import type { PackageVet } from './vet';
import { packageFinding, packageRoot, withFindings } from './vetReport';

/** The package pin file, relative to the working directory. */
export const PACKAGE_PIN_FILE = `${PROJECT_DIR}/package-pins.json`;

/** The key of a package in the pin file. */
export function pinKey(name: string): string {
  return `npm:${name}`;
}

/** The package pins under `cwd`, or undefined when there are none (an invalid file is a thrown Error). */
export function loadPackagePins(cwd: string): PinFile | undefined {
  const file = join(cwd, ...PACKAGE_PIN_FILE.split('/'));
  if (!existsSync(file)) return undefined;
  const parsed = parsePins(readFileSync(file, 'utf8'), file);
  if (!parsed.pins) throw new Error(parsed.errors[0]?.message ?? `invalid pin file ${file}`);
  return parsed.pins;
}

/** The pins of one vetted package, in the pin file's shape. */
export function pinsOfVet(vet: PackageVet): PinnedServer {
  return { tools: { ...vet.toolHashes } };
}

/** What changed between the pinned release and the vetted one. */
export interface Drift {
  /** Tools changed, added or removed, by name, sorted. */
  changedTools: string[];
  /** The pinned release's version, read from the pinned files' paths. */
  pinnedVersion?: string;
  /** The drift findings. */
  findings: ReportFinding[];
  /** The vet with the findings added to its report. */
  vet: PackageVet;
}

/** Compares a vetted package with its pins; no pins for the package means no drift. */
export function driftOf(pins: PinFile | undefined, vet: PackageVet): Drift {
  const pinned = pins?.servers[pinKey(vet.name)];
  const none: Drift = { changedTools: [], findings: [], vet };
  if (!pinned || !vet.toolHashes) return none;
  const root = packageRoot(vet.name, vet.version);
  const anyFile = Object.values(pinned.tools)[0]?.file ?? '';
  const m = /^npm:(?:@[^/]+\/)?[^@/]+@([^/]+)\//.exec(anyFile);
  const pinnedVersion = m?.[1];
  const since = pinnedVersion ? `the pinned ${pinnedVersion}` : 'the pinned release';
  const lineOf = (tool: string) => {
    for (const s of vet.inventory.servers)
      for (const t of s.tools) if (t.name === tool) return { file: t.registration.file, line: t.registration.line };
    return undefined;
  };
  const findings: ReportFinding[] = [];
  const changed: string[] = [];
  const at = (tool: string, message: string, severity?: 'high' | 'medium') => {
    const where = lineOf(tool);
    const f = packageFinding('mcp-tool-definition-drift', where?.file ?? `${root}/package.json`, message, severity);
    if (where) f.range = { start: { line: where.line, column: 1 }, end: { line: where.line, column: 1 } };
    findings.push(f);
    changed.push(tool);
  };
  for (const [tool, now] of Object.entries(vet.toolHashes)) {
    const was = pinned.tools[tool];
    if (!was) at(tool, `Tool "${tool}" of ${vet.name} is new in ${vet.version} (not in ${since}); review it`, 'medium');
    else if (was.sha256 !== now.sha256)
      at(tool, `Tool "${tool}" of ${vet.name} changed between ${since} and ${vet.version}; review the new definition`);
  }
  for (const tool of Object.keys(pinned.tools))
    if (!vet.toolHashes[tool])
      at(tool, `Pinned tool "${tool}" of ${vet.name} is gone in ${vet.version} (it was in ${since})`, 'medium');
  if (!findings.length) return { ...none, ...(pinnedVersion ? { pinnedVersion } : {}) };
  return {
    changedTools: [...changed].sort(),
    ...(pinnedVersion ? { pinnedVersion } : {}),
    findings,
    vet: { ...vet, report: withFindings(vet.report, findings) },
  };
}

/** The pin file with the given packages' pins replaced and every other package's kept. */
export function mergePackagePins(old: PinFile | undefined, vets: readonly PackageVet[]): PinFile {
  const servers: Record<string, PinnedServer> = { ...old?.servers };
  for (const v of vets) servers[pinKey(v.name)] = pinsOfVet(v);
  return { version: 1, servers };
}
