/**
 * Per-document results kept across versions of an editor document, so that an edit re-runs only what it can change
 * (issue 12). After each scan of a document the cache keeps its text, its top-level units, its workspace facts and the
 * raw findings of the structural rules (ruleScopes.ts). On the next version, when the edit touched only inert units
 * (units.ts) and nothing else the scan reads changed (the project, the other files' facts, the file's fact gates), the
 * file's facts and the structural rules' findings are the kept ones moved past the edit (relocate.ts); every other
 * rule runs on the new text, and the engine numbers fingerprints and the suppression passes run on the whole file as
 * always. Otherwise the scan is a full one, whose results are kept for the next version.
 */
import { treeOf } from '../../analysis/parse';
import type { FileKind } from '../../../shared/types';
import { samePlainData } from '../../core/plainData';
import type { DetectContext, RawFinding, Rule } from '../../core/rule';
import { mayDefineTools, mayHoldFacts, type FileFacts } from '../facts';
import { moveFacts, moveFindings } from './relocate';
import { isStructural, isToolLocal } from './ruleScopes';
import { registrationUnits, toolEditOf, type KeptReduction, type ToolEdit } from './toolEdit';
import { inertEditOf, unitsOf, type InertEdit, type UnitVersion } from './units';

/** What a scan's results depend on besides the document's text: compared by the cache before it reuses anything. */
export interface UnitScope {
  /** The engine or project the document is scanned with (compared by identity: a new one means new rules). */
  engine: object;
  /** The workspace facts of the other files, by path (this document's own entry is ignored). */
  others?: ReadonlyMap<string, FileFacts>;
}

/**
 * How a document's scan went: reusing results across an inert edit (`units`), across an edit inside one tool's
 * registration (`tool`, toolEdit.ts), or in full.
 */
export type UnitWay = 'units' | 'tool' | 'full';

/** One kept version of a document. */
interface Kept extends UnitVersion {
  path: string;
  kind: FileKind;
  scope: UnitScope;
  gates: string;
  facts: FileFacts | undefined;
  raws: Map<string, RawFinding[]>;
  /** Starts of the units that register a tool, prompt or resource. */
  registrations: number[];
  /** The reduced document of the registration a tool edit reached this version by (toolEdit.ts `KeptReduction`). */
  reduction?: KeptReduction;
}

/** The kept versions of the editor documents one worker owns, by document key. */
export class UnitResults {
  private readonly kept = new Map<string, Kept>();

  /**
   * Starts the scan of a document's new version. The caller takes `run.facts` when set (else extracts the facts),
   * scans with `run.detect` as the engine's detector, and calls `run.finish` with the facts it used.
   */
  begin(key: string, ctx: DetectContext, scope: UnitScope): UnitRun {
    const tree = ctx.kind === 'js' || ctx.kind === 'python' ? treeOf(ctx) : undefined;
    // A tree with a syntax error is not kept: its units are error recovery's guess.
    const units = tree && !tree.rootNode.hasError ? unitsOf(tree, ctx.kind === 'python') : undefined;
    const old = this.kept.get(key);
    this.kept.delete(key);
    const gates = `${mayHoldFacts(ctx.kind, ctx.text, ctx.path)}:${mayDefineTools(ctx.kind, ctx.text)}`;
    let edit: InertEdit | undefined;
    let facts: { facts: FileFacts | undefined } | undefined;
    let tool: ToolEdit | undefined;
    if (
      units &&
      old &&
      old.path === ctx.path &&
      old.kind === ctx.kind &&
      old.gates === gates &&
      old.scope.engine === scope.engine &&
      sameOthers(old.scope.others, scope.others, ctx.path)
    ) {
      const next = { text: ctx.text, lines: ctx.lines, units };
      edit = inertEditOf(old, next);
      facts = edit && moveFacts(edit, old.facts);
      if (!facts) {
        edit = undefined;
        tool = toolEditOf(old, next, { backend: ctx.regex, path: ctx.path, kind: ctx.kind });
        facts = tool?.facts;
      }
    }
    // The tool edit worked on a copy of the old version's reduced tree, if it used it at all.
    old?.reduction?.tree.delete();
    const way: UnitWay = edit ? 'units' : tool ? 'tool' : 'full';
    const raws = new Map<string, RawFinding[]>();
    const dispose = () => tool?.dispose();
    const reduction = () => tool?.takeReduction();
    return {
      way,
      ...(facts ? { facts } : {}),
      detect(rule: Rule, c: DetectContext): RawFinding[] {
        if (!isStructural(rule.id, c.path)) return rule.detect(c);
        const last = old?.raws.get(rule.id);
        let raw: RawFinding[] | undefined;
        if (last && edit) raw = moveFindings(edit, last, c.path);
        else if (last && tool) raw = tool.findings(rule, c, last, isToolLocal(rule.id));
        raw ??= rule.detect(c);
        raws.set(rule.id, raw);
        return raw;
      },
      finish: (f: FileFacts | undefined) => {
        const kept = reduction();
        dispose();
        if (!units) {
          kept?.tree.delete();
          return;
        }
        const registrations = edit
          ? old!.registrations.map((s) => (s >= edit.oldEnd ? s + edit.newEnd - edit.oldEnd : s))
          : tool
            ? tool.registrations
            : gates.endsWith(':true')
              ? registrationUnits(ctx, { text: ctx.text, lines: ctx.lines, units })
              : [];
        this.kept.set(key, {
          text: ctx.text,
          lines: ctx.lines,
          units,
          path: ctx.path,
          kind: ctx.kind,
          scope,
          gates,
          facts: f,
          raws,
          registrations,
          ...(kept ? { reduction: kept } : {}),
        });
      },
      dispose,
    };
  }

  /** Frees a document's kept version (the editor closed it). */
  forget(key: string): void {
    this.kept.get(key)?.reduction?.tree.delete();
    this.kept.delete(key);
  }
}

/** One scan of a document through the cache. */
export interface UnitRun {
  /** Whether results of the previous version are reused. */
  way: UnitWay;
  /** The file's facts moved from the previous version, when reused (`facts` itself is undefined for no facts). */
  facts?: { facts: FileFacts | undefined };
  /** The engine's detector: reuses a structural rule's moved findings when it can, else runs the rule. */
  detect(rule: Rule, ctx: DetectContext): RawFinding[];
  /** Keeps this version's results for the next one; `facts` are the facts the scan used. */
  finish(facts: FileFacts | undefined): void;
  /** Frees what the run holds (`finish` does it too); for a scan that failed before `finish`. */
  dispose(): void;
}

/** True when two maps of other files' facts agree on every file but `path`. */
function sameOthers(
  a: ReadonlyMap<string, FileFacts> | undefined,
  b: ReadonlyMap<string, FileFacts> | undefined,
  path: string,
): boolean {
  if (a === b) return true;
  const keys = (m: ReadonlyMap<string, FileFacts> | undefined) =>
    [...(m?.keys() ?? [])].filter((k) => k !== path).sort();
  const ka = keys(a);
  const kb = keys(b);
  if (ka.length !== kb.length || ka.some((k, i) => k !== kb[i])) return false;
  return ka.every((k) => {
    const x = a!.get(k);
    const y = b!.get(k);
    return samePlainData(x, y);
  });
}
