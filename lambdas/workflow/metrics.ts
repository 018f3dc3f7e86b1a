/** The run's numbers for the dashboard, computed from the report. Pure. */
import type { CauseCode } from '../engine/causes.ts';
import type { Report } from '../engine/report-model.ts';

export interface RunMetrics {
  InstancesChecked: number;
  NotRegistered: number;
  ConnectionLost: number;
  FixesPlanned: number;
  FixesApplied: number;
  FixesFailed: number;
  /** Findings per root cause (dimension `Cause`). */
  findingsByCause: Partial<Record<CauseCode | 'UNKNOWN', number>>;
}

export function runMetrics(report: Report): RunMetrics {
  const remediations = report.findings.flatMap((f) => f.remediations);
  const count = (...statuses: string[]) => remediations.filter((r) => statuses.includes(r.status)).length;
  const findingsByCause: RunMetrics['findingsByCause'] = {};
  for (const f of report.findings) findingsByCause[f.rootCause] = (findingsByCause[f.rootCause] ?? 0) + 1;
  return {
    InstancesChecked: report.summary.runningInstances,
    NotRegistered: report.summary.notRegistered,
    ConnectionLost: report.summary.connectionLost,
    FixesPlanned: count('planned'),
    FixesApplied: count('applied', 'verified'),
    FixesFailed: count('failed'),
    findingsByCause,
  };
}
