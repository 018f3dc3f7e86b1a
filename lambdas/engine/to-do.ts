/**
 * What is left for a person to do on one finding, in the order that helps: the steps of the check
 * that names the root cause first (a DNS-forwarding warning is not the first step for an IAM root
 * cause), then the other failing checks', then the warnings'. A command that a fix already ran
 * (`attach-role-policy` after `attach-core-policy` was applied) is not a to-do any more. The steps
 * every instance shares (test the endpoints, read the agent logs) are `common`, so a renderer can
 * write them once for a whole report instead of once per instance.
 */
import type { Finding, FixId } from './report-model.ts';
import { splitCommand } from './text.ts';

/** The command each fix runs for you, as next steps write it. */
const DONE_BY_FIX: Record<FixId, RegExp> = {
  'attach-core-policy': /\baws iam attach-role-policy\b.*AmazonSSMManagedInstanceCore/,
  'attach-instance-profile': /\baws ec2 associate-iam-instance-profile\b/,
  'enforce-imdsv2': /\baws ec2 modify-instance-metadata-options\b/,
};

const CONSOLE_LINK = /^(EC2 console|Fleet Manager): /;
/** What verification adds to a finding (`remediation/verification.ts`): about this instance, and first. */
const AFTER_A_FIX = /^The fix is applied/;

export interface ToDo {
  /** Steps about this instance's own defects, most important first. */
  specific: string[];
  /** Steps any unmanaged instance of this platform gets (console links left out: they are per instance). */
  common: string[];
}

export function stepsToDo(finding: Finding): ToDo {
  const applied = finding.remediations
    .filter((r) => r.status === 'applied' || r.status === 'verified')
    .map((r) => DONE_BY_FIX[r.id]);
  const open = (step: string) => !applied.some((done) => done.test(step));
  const root = finding.checks.filter((c) => c.status === 'fail' && c.cause === finding.rootCause);
  const otherFails = finding.checks.filter((c) => c.status === 'fail' && c.cause !== finding.rootCause);
  const warns = finding.checks.filter((c) => c.status === 'warn');
  const verification = finding.nextSteps.filter((s) => AFTER_A_FIX.test(s));
  const specific = [
    ...new Set([...verification, ...[...root, ...otherFails, ...warns].flatMap((c) => c.nextSteps ?? [])]),
  ];
  const fromChecks = new Set(finding.checks.flatMap((c) => c.nextSteps ?? []));
  return {
    specific: mergeAlternatives(specific.filter(open)),
    common: finding.nextSteps.filter(
      (s) => !fromChecks.has(s) && !CONSOLE_LINK.test(s) && !AFTER_A_FIX.test(s) && open(s),
    ),
  };
}

/**
 * Steps that say the same thing for several services ("Or create interface endpoints … e.g. aws
 * ec2 create-vpc-endpoint …" once per service) become one step whose commands run one after the
 * other; a command that another step already gives is not given twice.
 */
function mergeAlternatives(steps: readonly string[]): string[] {
  const out: { lead: string; prose: string; commands: string[] }[] = [];
  const commands = new Set<string>();
  for (const step of steps) {
    const { prose, command, lead } = splitCommand(step);
    if (!command || lead === undefined) {
      out.push({ lead: step, prose: step, commands: [] });
      continue;
    }
    if (commands.has(command)) continue;
    commands.add(command);
    const same = out.find((o) => o.commands.length && prose && o.prose === prose);
    if (same) same.commands.push(command);
    else out.push({ lead, prose, commands: [command] });
  }
  return out.map((o) => (o.commands.length ? `${o.lead}${o.commands.join(' && ')}` : o.lead));
}
