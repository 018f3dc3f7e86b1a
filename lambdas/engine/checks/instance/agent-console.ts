/**
 * `agent.console`: the console shows what the outside cannot: a boot failure, a full disk, the
 * agent failing or stopping, an OS that cannot reach the metadata service. Each of those is a
 * cause (one result per cause, so an impaired instance that failed to boot has both); the other
 * signatures are clues (`warn`). The evidence says how old the text may be: on Xen types it is
 * the buffer saved at the last boot.
 */
import type { CauseCode } from '../../causes.ts';
import { type Check, type CheckResult, result } from '../../check.ts';
import type { InstanceFacts } from '../../facts.ts';
import { describeProblem } from '../../readout.ts';
import { CONSOLE_SIGNATURES, type ConsoleSignature } from './console-signatures.ts';

const ID = 'agent.console';
const MAX_LINES = 5;
const MAX_LINE_LENGTH = 200;

/** Terminal colour codes (ESC [ … letter) that serial consoles leave in the text. */
const ANSI_ESCAPE = new RegExp(`${String.fromCharCode(27)}\\[[0-9;?]*[A-Za-z]`, 'g');
const clean = (line: string) => line.replace(ANSI_ESCAPE, '').replace(/\r/g, '').trim();

export function scanConsole(text: string): { signature: ConsoleSignature; line: string }[] {
  const matches: { signature: ConsoleSignature; line: string }[] = [];
  for (const raw of text.split('\n')) {
    const line = clean(raw);
    const signature = line && CONSOLE_SIGNATURES.find((s) => s.pattern.test(line));
    if (signature) matches.push({ signature, line: line.slice(0, MAX_LINE_LENGTH) });
  }
  return matches;
}

export const agentConsoleCheck: Check = {
  id: ID,
  title: 'The console output shows no boot or agent failure',
  reads: ['consoleOutput'],
  evaluate(facts): CheckResult | CheckResult[] {
    const instanceId = facts.candidate.instance.InstanceId ?? 'the instance';
    if (facts.consoleOutput === undefined)
      return result.skip(ID, `The console output of ${instanceId} was not read.`);
    if (!facts.consoleOutput.ok) {
      return result.unknown(
        ID,
        `The console output of ${instanceId} could not be read: ${describeProblem(facts.consoleOutput.problem)}.`,
      );
    }
    const text = facts.consoleOutput.value;
    if (!text) return result.skip(ID, `EC2 has no console output for ${instanceId}.`);

    const matches = scanConsole(text);
    if (matches.length === 0)
      return result.pass(ID, `The console output of ${instanceId} shows no known boot or agent failure.`, {
        scannedLines: text.split('\n').length,
      });
    const signatures = [...new Set(matches.map((m) => m.signature))];
    const buffer = bufferAge(facts);
    const evidence = {
      signatures: signatures.map((s) => s.id),
      lines: matches.slice(0, MAX_LINES).map((m) => m.line),
      matchedLines: matches.length,
      buffer,
    };
    const latestFlag = facts.consoleBuffer?.latest === false ? '' : ' --latest';
    const full = `Full output: aws ec2 get-console-output --region ${facts.region} --instance-id ${instanceId}${latestFlag} --output text`;
    const causes = [...new Set(signatures.flatMap((s) => (s.cause ? [s.cause] : [])))];
    if (causes.length === 0) {
      const summary = `The console output of ${instanceId} shows ${signatures.map((s) => s.meaning).join('; ')} (${buffer}).`;
      return result.warn(ID, summary, evidence, [...signatures.map((s) => s.nextStep), full]);
    }
    return causes.map((cause: CauseCode) => {
      const proving = signatures.filter((s) => s.cause === cause);
      const summary = `The console output of ${instanceId} shows ${proving.map((s) => s.meaning).join('; ')} (${buffer}).`;
      return result.fail(ID, cause, summary, evidence, [...proving.map((s) => s.nextStep), full]);
    });
  },
};

/** How old the text may be, as a clause. */
function bufferAge(facts: InstanceFacts): string {
  const at = facts.consoleBuffer?.timestamp ? ` last updated ${facts.consoleBuffer.timestamp}` : '';
  if (facts.consoleBuffer?.latest) return `latest output${at}`;
  if (facts.consoleBuffer) return `the buffer saved at the last boot${at}, which may be days old`;
  return 'its age is not known: it may be from an earlier boot';
}
