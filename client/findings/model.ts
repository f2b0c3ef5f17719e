/**
 * The findings tree's model: grouping (file → finding, or category → file → finding), filters (severity, category,
 * show suppressed) and counts. No `vscode` import, so it is unit-tested without an editor; the tree provider in
 * view.ts only turns these nodes into TreeItems.
 */
import { capabilitySummary, groupInventory, isInventoryFinding } from '../../shared/capabilities';
import type { FileFindingsParams } from '../../shared/protocol';
import { SEVERITIES, severityRank, type Category, type Finding, type Range, type Severity } from '../../shared/types';
import type { ServerVetWire } from '../../shared/vet';
import { VettedServers, type VetNode } from './vetNodes';

const SEVERITY_ICON: Record<Severity, string> = {
  critical: 'error',
  high: 'error',
  medium: 'warning',
  low: 'info',
  info: 'lightbulb',
};

/** The codicon of a finding of this severity, in the findings tree and among a vetted package's findings alike. */
export function severityIcon(severity: Severity): string {
  return SEVERITY_ICON[severity] ?? 'warning';
}

/** How the tree groups findings. */
export type Grouping = 'file' | 'category';

/** What the tree shows. */
export interface Filters {
  /** Severities to show (all when empty). */
  severities: Severity[];
  /** Categories to show (all when empty). */
  categories: Category[];
  /** Whether suppressed findings are listed. */
  showSuppressed: boolean;
}

/** A finding with the document it belongs to. */
export interface LocatedFinding {
  /** Document URI. */
  uri: string;
  /** The finding. */
  finding: Finding;
}

/** A node of the tree. */
export type TreeNode =
  | { kind: 'category'; category: Category; count: number; children: TreeNode[] }
  | { kind: 'file'; uri: string; label: string; count: number; children: TreeNode[] }
  | { kind: 'finding'; item: LocatedFinding }
  /** The capability inventory of one server: its tools (see shared/capabilities.ts). */
  | { kind: 'tools'; server: string; count: number; children: TreeNode[] }
  /** One tool: its summary ("runs shell · reads files · argument-controlled"), its registration, its findings. */
  | { kind: 'tool'; tool: string; uri: string; range: Range; summary: string; children: TreeNode[] }
  | { kind: 'skipped'; uri: string; label: string; reason: string }
  /** Vetted packages: config file → server → its tools and findings (see vetNodes.ts). */
  | VetNode;

/** Display label of a URI: the path after the workspace folder when known, else the file name. */
export type LabelOf = (uri: string) => string;

/** One file of the tree, as the test API reports it. */
export interface SnapshotFile {
  /** The file's label in the tree (path relative to its workspace folder). */
  file: string;
  /** Findings listed under it with the current filters (suppressed ones included when they are shown). */
  count: number;
  /** How many of those are suppressed (0 unless "show suppressed" is on). */
  suppressed: number;
}

/**
 * What the findings tree shows, in plain data: the extension's test API returns it (see ../extension.ts) so the
 * end-to-end suite can assert on the tree without reading the DOM.
 */
export interface FindingsSnapshot {
  /** Unsuppressed findings held, regardless of filters: the number the badge shows. */
  total: number;
  /** Suppressed findings held, regardless of filters. */
  suppressed: number;
  /** Files with at least one visible finding, sorted by label. */
  byFile: SnapshotFile[];
  /** The tree view's badge value, undefined when it shows none (filled in by the extension from the real view). */
  badge: number | undefined;
  /** Whether the "show suppressed" filter is on. */
  showSuppressed: boolean;
  /** The vetted server entries the tree lists, by config label then server name; absent when none was vetted. */
  vetted?: { config: string; server: string; status: ServerVetWire['status']; summary: string; tools: string[] }[];
}

/** Holds the latest findings per file, as streamed by the server. */
export class FindingsModel {
  private readonly byUri = new Map<string, FileFindingsParams>();
  /** The latest vetting result of each config entry. */
  readonly vets = new VettedServers();
  grouping: Grouping = 'file';
  filters: Filters = { severities: [], categories: [], showSuppressed: false };

  /** Replaces one file's findings (an empty list removes the file). */
  update(p: FileFindingsParams): void {
    if (!p.findings.length && !p.skipped) this.byUri.delete(p.uri);
    else this.byUri.set(p.uri, p);
  }

  /** Forgets everything. */
  clear(): void {
    this.byUri.clear();
    this.vets.clear();
  }

  /** True when the finding passes the filters. */
  visible(f: Finding): boolean {
    if (f.suppressed && !this.filters.showSuppressed) return false;
    if (this.filters.severities.length && !this.filters.severities.includes(f.severity)) return false;
    if (this.filters.categories.length && !this.filters.categories.includes(f.category)) return false;
    return true;
  }

  /** Every visible finding, most severe first, then by file and position. */
  findings(): LocatedFinding[] {
    const out: LocatedFinding[] = [];
    for (const [uri, p] of this.byUri) for (const f of p.findings) if (this.visible(f)) out.push({ uri, finding: f });
    return out.sort(compareLocated);
  }

  /**
   * Unsuppressed findings (regardless of filters) by severity: what the badge and status counts show. Inventory
   * findings (what a tool can do) are not counted: they are listed in the Tools groups, not raised as problems.
   */
  counts(): Record<Severity, number> & { total: number; suppressed: number } {
    const c = { critical: 0, high: 0, medium: 0, low: 0, info: 0, total: 0, suppressed: 0 };
    for (const p of this.byUri.values()) {
      for (const f of p.findings) {
        if (isInventoryFinding(f)) continue;
        if (f.suppressed) c.suppressed++;
        else {
          c[f.severity]++;
          c.total++;
        }
      }
    }
    return c;
  }

  /** Files the server skipped, with reasons. */
  skipped(): { uri: string; reason: string }[] {
    return [...this.byUri.values()].filter((p) => p.skipped).map((p) => ({ uri: p.uri, reason: p.skipped! }));
  }

  /**
   * The tree's content as plain data, grouped by file whatever the current grouping. `badge` is what the
   * extension sets on the view for these counts; the extension replaces it with the view's actual badge.
   */
  snapshot(labelOf: LabelOf): FindingsSnapshot {
    const c = this.counts();
    const vetted = this.vets.snapshot(labelOf);
    const byFile = fileNodes(
      this.findings().filter((lf) => !isInventoryFinding(lf.finding)),
      labelOf,
    ).map((n) => {
      const items = n.kind === 'file' ? n.children : [];
      const suppressed = items.filter((i) => i.kind === 'finding' && i.item.finding.suppressed).length;
      return { file: n.kind === 'file' ? n.label : '', count: items.length, suppressed };
    });
    return {
      total: c.total,
      suppressed: c.suppressed,
      byFile,
      badge: c.total || undefined,
      showSuppressed: this.filters.showSuppressed,
      ...(vetted.length ? { vetted } : {}),
    };
  }

  /**
   * The tree's root nodes under the current grouping and filters: the findings, then a Tools group per server (the
   * capability inventory, kept out of the findings groups), then the skipped files.
   */
  roots(labelOf: LabelOf): TreeNode[] {
    const all = this.findings();
    const visible = all.filter((lf) => !isInventoryFinding(lf.finding));
    const tools = toolsNodes(all.filter((lf) => isInventoryFinding(lf.finding)));
    const skipped: TreeNode[] = this.skipped().map((s) => ({
      kind: 'skipped',
      uri: s.uri,
      label: labelOf(s.uri),
      reason: s.reason,
    }));
    const vetted = this.vets.nodes(labelOf);
    if (this.grouping === 'file') return [...fileNodes(visible, labelOf), ...tools, ...vetted, ...skipped];
    const byCat = new Map<Category, LocatedFinding[]>();
    for (const lf of visible) {
      const list = byCat.get(lf.finding.category) ?? [];
      list.push(lf);
      byCat.set(lf.finding.category, list);
    }
    const cats: TreeNode[] = [...byCat.entries()]
      .sort((a, b) => worst(b[1]) - worst(a[1]) || (a[0] < b[0] ? -1 : 1))
      .map(([category, list]) => ({
        kind: 'category',
        category,
        count: list.length,
        children: fileNodes(list, labelOf),
      }));
    return [...cats, ...tools, ...vetted, ...skipped];
  }
}

/** The Tools groups: one per server, one node per tool with its capability findings under it. */
function toolsNodes(inventory: LocatedFinding[]): TreeNode[] {
  const items = inventory.map((lf) => ({ ruleId: lf.finding.ruleId, related: lf.finding.related, lf }));
  return groupInventory(items).map((s): TreeNode => {
    const children = s.tools.map((t): TreeNode => {
      const found = t.capabilities.flatMap((c) => c.findings.map((x) => x.lf));
      return {
        kind: 'tool',
        tool: t.tool,
        uri: found[0]!.uri,
        range: t.registration.range,
        summary: capabilitySummary(t.capabilities),
        children: found.sort(byPosition).map((item): TreeNode => ({ kind: 'finding', item })),
      };
    });
    return { kind: 'tools', server: s.server, count: children.length, children };
  });
}

function worst(list: LocatedFinding[]): number {
  // A fold rather than Math.max(...spread): one file can hold more findings than a call takes arguments.
  return list.reduce((w, l) => Math.max(w, severityRank(l.finding.severity)), -Infinity);
}

function fileNodes(list: LocatedFinding[], labelOf: LabelOf): TreeNode[] {
  const byFile = new Map<string, LocatedFinding[]>();
  for (const lf of list) {
    const l = byFile.get(lf.uri) ?? [];
    l.push(lf);
    byFile.set(lf.uri, l);
  }
  return [...byFile.entries()]
    .map(([uri, items]): TreeNode => ({
      kind: 'file',
      uri,
      label: labelOf(uri),
      count: items.length,
      children: [...items].sort(byPosition).map((item): TreeNode => ({ kind: 'finding', item })),
    }))
    .sort((a, b) => {
      const la = a.kind === 'file' ? a.label : '';
      const lb = b.kind === 'file' ? b.label : '';
      return la < lb ? -1 : la > lb ? 1 : 0;
    });
}

function byPosition(a: LocatedFinding, b: LocatedFinding): number {
  return (
    a.finding.range.start.line - b.finding.range.start.line ||
    a.finding.range.start.character - b.finding.range.start.character
  );
}

function compareLocated(a: LocatedFinding, b: LocatedFinding): number {
  return (
    severityRank(b.finding.severity) - severityRank(a.finding.severity) ||
    (a.uri < b.uri ? -1 : a.uri > b.uri ? 1 : 0) ||
    byPosition(a, b)
  );
}

/**
 * A one-line description of a finding for the tree: "3:5 · high", and for a suppressed finding how and why, e.g.
 * "3:5 · high · suppressed (inline: input is validated)", so the reason is visible without opening the file.
 */
export function describeFinding(f: Finding): string {
  const where = `${f.range.start.line + 1}:${f.range.start.character + 1} · ${f.severity}`;
  return f.suppressed ? `${where} · ${describeSuppression(f.suppressed)}` : where;
}

/** "suppressed (inline: reason)", or "suppressed (baseline)" when no reason was recorded. */
export function describeSuppression(s: NonNullable<Finding['suppressed']>): string {
  return `suppressed (${s.kind}${s.reason ? `: ${s.reason}` : ''})`;
}

/** The severities in display order (for the filter picker). */
export const SEVERITY_ORDER: readonly Severity[] = SEVERITIES;
