/**
 * The vetted packages in the findings tree: one group per MCP client config, one node per vetted server entry, and
 * under it the package's tools (with what they can do) and its findings. Results arrive as `mcpSentinel/vetServers`
 * answers; a newer result for the same entry replaces the older. No `vscode` import, so it is unit-tested; view.ts
 * and vetView.ts turn these nodes into TreeItems.
 */
import type { ServerVetWire, VetFindingWire, VetToolWire } from '../../shared/vet';

/** A node of the vetting part of the tree. */
export type VetNode =
  /** One config file with vetted entries. */
  | { kind: 'vetConfig'; uri: string; label: string; children: VetNode[] }
  /** One server entry of it: the summary ("3 tools · runs shell · 1 high") or why it was not vetted. */
  | { kind: 'vetServer'; vet: ServerVetWire; children: VetNode[] }
  /** One tool of the package. */
  | { kind: 'vetTool'; tool: VetToolWire }
  /** One finding in the package, with the config its server belongs to (to open the file it names). */
  | { kind: 'vetFinding'; finding: VetFindingWire; configUri: string };

/** Display label of a URI (the path relative to its workspace folder). */
type LabelOf = (uri: string) => string;

/** The latest vetting result of each config entry, and the tree nodes that show them. */
export class VettedServers {
  private readonly byConfig = new Map<string, Map<string, ServerVetWire>>();

  /** Stores results, each replacing the earlier result of its config entry. */
  update(results: readonly ServerVetWire[]): void {
    for (const v of results) {
      let m = this.byConfig.get(v.configUri);
      if (!m) this.byConfig.set(v.configUri, (m = new Map()));
      m.set(v.server, v);
    }
  }

  /** Forgets every result. */
  clear(): void {
    this.byConfig.clear();
  }

  /** Every result, by config label then server name. */
  all(labelOf: LabelOf): { label: string; vets: ServerVetWire[] }[] {
    return [...this.byConfig.entries()]
      .map(([uri, m]) => ({ label: labelOf(uri), vets: [...m.values()].sort((a, b) => cmp(a.server, b.server)) }))
      .sort((a, b) => cmp(a.label, b.label));
  }

  /** The tree's vetting groups: config → server → tools, then findings. */
  nodes(labelOf: LabelOf): VetNode[] {
    return this.all(labelOf).map(({ label, vets }) => ({
      kind: 'vetConfig',
      uri: vets[0]!.configUri,
      label,
      children: vets.map((vet) => ({
        kind: 'vetServer',
        vet,
        children: [
          ...vet.tools.map((tool): VetNode => ({ kind: 'vetTool', tool })),
          ...vet.findings.map((finding): VetNode => ({ kind: 'vetFinding', finding, configUri: vet.configUri })),
        ],
      })),
    }));
  }

  /** The results as the test API reports them. */
  snapshot(
    labelOf: LabelOf,
  ): { config: string; server: string; status: ServerVetWire['status']; summary: string; tools: string[] }[] {
    return this.all(labelOf).flatMap(({ label, vets }) =>
      vets.map((v) => ({
        config: label,
        server: v.server,
        status: v.status,
        summary: v.summary,
        tools: v.tools.map((t) => t.name),
      })),
    );
  }
}

function cmp(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}
