/**
 * The cross-file data flow of a finding, as every report format draws it. The engine marks the related locations
 * that are steps of a flow (a tool input passed from file to file, see `RelatedLocation.flow`); other related
 * locations, such as an expired ignore entry, are notes about the finding, not steps, and are left out here.
 */
import type { ReportFinding, ReportRelated } from './model';

/** One step of a finding's flow, in the order the value travels; the last step is the finding itself (the sink). */
export interface FlowStep {
  /** Path relative to the root, forward slashes. */
  file: string;
  /** 1-based range; `end` is exclusive. */
  range: ReportRelated['range'];
  /** What happens to the value there. */
  message: string;
}

/**
 * The steps from the tool's declaration to the sink, ending at the finding's own location; undefined when the
 * finding has no cross-file flow (then the reports show it exactly as before).
 */
export function flowOf(f: ReportFinding): FlowStep[] | undefined {
  const steps = (f.related ?? []).filter((r) => r.flow);
  if (!steps.length) return undefined;
  return [
    ...steps.map((r) => ({ file: r.file, range: r.range, message: r.message })),
    { file: f.file, range: f.range, message: f.message },
  ];
}
