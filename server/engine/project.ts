import type { FileKind } from '../../shared/types';
import { initParsers } from '../analysis/parse';
import { builtinRules } from '../rules';
import { Engine, type DocumentResult, type RuleOverrides } from './engine';
import type { Rule, WorkspaceFacts } from './rule';

/**
 * Everything needed to scan the documents of one project root the same way in every front end (CLI, language
 * server, worker threads): the engine with the project's rules and overrides, and the suppression inputs.
 * The CLI and the editor both build it with `openProject` and scan with `scanDocument`, so they cannot disagree.
 */
export interface Project {
  /** Absolute path of the project root; findings' paths are relative to it. */
  root: string;
  /** The engine: built-in and custom rules with the project's overrides. */
  engine: Engine;
  /** Cross-file facts for detectors (tool names, pins). */
  workspace: WorkspaceFacts;
}

/** Options for opening a project. */
export interface OpenProjectOptions {
  /** Severity overrides from editor settings or the CLI, applied on top of the project config. */
  overrides?: RuleOverrides;
  /** Extra rules (tests). */
  extraRules?: Rule[];
}

/** Opens a project root: loads parsers and rules. Config, ignore file and baseline are added by the config module. */
export async function openProject(root: string, options: OpenProjectOptions = {}): Promise<Project> {
  await initParsers();
  const engine = new Engine([...builtinRules, ...(options.extraRules ?? [])], options.overrides ?? {});
  return { root, engine, workspace: {} };
}

/** Scans one document of a project. `file` is relative to the project root, with forward slashes. */
export function scanDocument(project: Project, file: string, text: string, kind?: FileKind): DocumentResult {
  return kind ? project.engine.scan(file, text, kind, project.workspace) : project.engine.scan(file, text, undefined, project.workspace);
}
