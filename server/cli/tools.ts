/**
 * `mcp-sentinel tools [PATH] [--format text|json] [--output FILE]`: the tool inventory of a workspace, per server
 * (its declared name, else its file): each tool with where it is registered, what its code can do and whether a tool
 * argument controls it. The JSON output follows `schemas/mcp-sentinel-tools.schema.json`. Exit 0 on success, 2 on
 * an error (bad arguments, a path that does not exist, a broken project config).
 */
import { existsSync } from 'node:fs';
import { resolve } from 'node:path';
import { CAPABILITY_LABEL } from '../../shared/capabilities';
import { discover, scanRoot } from '../discovery/discover';
import { readDiscovered } from '../discovery/read';
import { buildInventory, type ToolInventory } from '../engine/inventory';
import { discoveryOptionsOf, scanLimits } from '../engine/limits';
import { openProject, type OpenProjectOptions } from '../engine/project';
import { toolVersion } from '../core/version';
import { ConfigLoadError } from '../project/types';
import { escapeControl } from '../reports';
import { ScanError } from './scan';

/** The JSON document `tools --format json` writes. */
export interface ToolsReport extends ToolInventory {
  /** The scanner's name and version. */
  tool: { name: 'mcp-sentinel'; version: string };
  /** The root the paths are relative to. */
  root: string;
}

/** What the command needs from the command line. */
export interface ToolsRequest {
  /** Paths (at most one folder or file, like `pin`); the working directory when empty. */
  paths: readonly string[];
  /** Working directory. */
  cwd: string;
  /** Project config file. */
  config?: string;
  /** Extra project options (tests). */
  projectOptions?: OpenProjectOptions;
}

/** The texts of the project's files, as the scanner would see them, for commands that read MCP metadata only. */
export interface ProjectTexts {
  /** The scan root. */
  root: string;
  /** Every discovered file that could be read, with its text. */
  files: { file: string; text: string }[];
  /** Discovery warnings, for stderr. */
  warnings: string[];
}

/**
 * Opens the project of the paths without its baseline and discovers its files with the project's own options
 * (include, exclude, size limit), so `pin` and `tools` see exactly the files `scan` checks. A broken pin file does
 * not stop them (`pin` is how it is repaired); every other project-file problem does.
 */
export async function readProjectTexts(
  paths: readonly string[],
  cwd: string,
  config: string | undefined,
  projectOptions: OpenProjectOptions | undefined,
): Promise<ProjectTexts> {
  const abs = paths.map((p) => resolve(cwd, p));
  for (const p of abs) if (!existsSync(p)) throw new ScanError(`path not found: ${p}`);
  const root = scanRoot(abs, cwd);
  const project = await openProject(root, {
    ...projectOptions,
    skipBaseline: true,
    onConfigError: 'collect',
    ...(config ? { configPath: resolve(cwd, config) } : {}),
  });
  const blocking = project.errors.filter((e) => e.file !== project.pinFile);
  if (blocking.length) throw new ScanError(new ConfigLoadError(blocking).message);
  const found = discover(
    root,
    abs.length ? abs : [root],
    discoveryOptionsOf(project.config, scanLimits(project.config)),
  );
  const files: { file: string; text: string }[] = [];
  for (const f of found.files) {
    const r = readDiscovered(f);
    if (r.ok) files.push({ file: f.file, text: r.text });
  }
  return { root, files, warnings: found.warnings };
}

/** Builds the inventory of the paths: the project's discovery (include, exclude, size limit), then every file. */
export async function toolsReport(req: ToolsRequest): Promise<{ report: ToolsReport; warnings: string[] }> {
  const { root, files, warnings } = await readProjectTexts(req.paths, req.cwd, req.config, req.projectOptions);
  const inventory = buildInventory(files);
  return {
    report: { tool: { name: 'mcp-sentinel', version: toolVersion() }, root, ...inventory },
    warnings,
  };
}

/** The JSON output. */
export function renderToolsJson(report: ToolsReport): string {
  return JSON.stringify(report, null, 2) + '\n';
}

/**
 * The text output: one block per server, one line per tool (`name  file:line`), then one indented line per
 * capability with the arguments that control it and where it is exercised. Names come from scanned files: every one
 * is escaped (`escapeControl`) so a hostile name cannot move the cursor or forge lines.
 */
export function renderToolsText(report: ToolsReport): string {
  const esc = escapeControl;
  const out: string[] = [];
  let tools = 0;
  for (const s of report.servers) {
    out.push(`server ${esc(s.name)}`);
    for (const t of s.tools) {
      tools++;
      const where = `${esc(t.registration.file)}:${t.registration.line}`;
      const none = t.capabilities.length
        ? ''
        : t.handlerFound
          ? '  (no capability found)'
          : '  (handler not in this file)';
      out.push(`  ${esc(t.name)}  ${where}${none}`);
      for (const c of t.capabilities) {
        const args = [...new Set(c.sites.flatMap((x) => (x.argument ? [x.argument] : [])))];
        const control = c.argumentControlled
          ? args.length
            ? ` (argument ${args.map((a) => `\`${esc(a)}\``).join(', ')})`
            : ' (argument-controlled)'
          : '';
        const at = c.sites.map((x) => `${esc(x.file)}:${x.line}`).join(', ');
        out.push(`    ${CAPABILITY_LABEL[c.capability]}${control}  ${at}`);
      }
    }
    if (s.trifecta)
      out.push(
        `  lethal trifecta: private data \`${esc(s.trifecta.private)}\`, untrusted content \`${esc(s.trifecta.untrusted)}\`, outward channel \`${esc(s.trifecta.outward)}\``,
      );
    out.push('');
  }
  out.push(`${tools} tool(s) in ${report.servers.length} server(s)`);
  return out.join('\n') + '\n';
}
