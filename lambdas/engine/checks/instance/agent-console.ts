/**
 * `agent.console`: the boot console can show why an instance never checks in (a panic, emergency
 * mode, a full disk, the agent failing to start). A match is a `warn`, not a cause: console text
 * is a clue, and may be from an earlier boot.
 */
import { type Check, type CheckResult, result } from '../../check.ts';
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
  evaluate(facts): CheckResult {
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
    const evidence = {
      signatures: signatures.map((s) => s.id),
      lines: matches.slice(0, MAX_LINES).map((m) => m.line),
      matchedLines: matches.length,
    };
    const summary = `The console output of ${instanceId} shows ${signatures.map((s) => s.meaning).join('; ')}.`;
    return result.warn(ID, summary, evidence, [
      ...signatures.map((s) => s.nextStep),
      `Full output: aws ec2 get-console-output --region ${facts.region} --instance-id ${instanceId} --latest --output text`,
    ]);
  },
};
