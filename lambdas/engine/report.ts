/** Assembles the `ssm-doctor/report@1` document. */
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

export function buildReport(parts: ReportParts): Report {
  return {
    format: REPORT_FORMAT,
    accountId: parts.accountId,
    region: parts.region,
    generatedAt: parts.generatedAt.toISOString(),
    settings: parts.settings,
    summary: parts.summary,
    findings: [...parts.findings].sort((a, b) =>
      a.instanceId < b.instanceId ? -1 : a.instanceId > b.instanceId ? 1 : 0,
    ),
    ...(parts.ignored ? { ignored: [...parts.ignored] } : {}),
    errors: [...parts.errors],
  };
}
