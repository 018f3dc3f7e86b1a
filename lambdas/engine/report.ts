/** Assembles the `ssm-doctor/report@1` document. */
import { groupFindings } from './groups.ts';
import {
  type Finding,
  type IgnoredInstance,
  REPORT_FORMAT,
  type Report,
  type RunError,
  type Summary,
} from './report-model.ts';
import type { Settings } from './settings.ts';

export interface ReportParts {
  accountId: string;
  region: string;
  generatedAt: Date;
  settings: Settings;
  summary: Summary;
  findings: readonly Finding[];
  ignored?: readonly IgnoredInstance[];
  errors: readonly RunError[];
}

/** The same report with its findings replaced (after fixes and verification): groups follow them. */
export function withFindings(report: Report, findings: readonly Finding[]): Report {
  return { ...report, groups: groupFindings(findings), findings: [...findings] };
}

export function buildReport(parts: ReportParts): Report {
  return {
    format: REPORT_FORMAT,
    accountId: parts.accountId,
    region: parts.region,
    generatedAt: parts.generatedAt.toISOString(),
    settings: parts.settings,
    summary: parts.summary,
    groups: groupFindings(parts.findings),
    findings: [...parts.findings].sort((a, b) =>
      a.instanceId < b.instanceId ? -1 : a.instanceId > b.instanceId ? 1 : 0,
    ),
    ...(parts.ignored ? { ignored: [...parts.ignored] } : {}),
    errors: [...parts.errors],
  };
}
