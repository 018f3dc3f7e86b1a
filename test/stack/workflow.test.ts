/** The synthesized state machine, rendered to concrete ASL and checked as a graph. */
import aslValidator from 'asl-validator';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type AslDefinition, type AslState, renderDefinition } from '../support/local/render-definition.ts';
import { logicalIdOf, type Synthesized, synthStack } from '../support/local/synth.ts';

let synth: Synthesized;
let asl: AslDefinition;

beforeAll(() => {
  synth = synthStack();
  asl = renderDefinition(synth.json);
});
afterAll(() => synth.cleanup());

const successors = (state: AslState): string[] => [
  ...(state.Next ? [state.Next] : []),
  ...(state.Default ? [state.Default] : []),
  ...(state.Choices ?? []).map((c) => c.Next),
  ...(state.Catch ?? []).map((c) => c.Next),
];
const state = (name: string): AslState => {
  const found = asl.States[name];
  if (!found) throw new Error(`No state named ${name}`);
  return found;
};
const mapProcessor = () =>
  (state('Diagnose batches').ItemProcessor ?? state('Diagnose batches').Iterator) as AslDefinition;
/** Every Task, including the ones inside the Map's item processor. */
const allTasks = (): [string, AslState][] =>
  [...Object.entries(asl.States), ...Object.entries(mapProcessor().States)].filter(
    ([, s]) => s.Type === 'Task',
  );

it('is valid Amazon States Language', () => {
  const result = aslValidator(structuredClone(asl));
  expect(result.isValid, result.errorsText('\n')).toBe(true);
});

it('has exactly the documented states', () => {
  expect(Object.keys(asl.States).sort()).toEqual(
    [
      'Another run in progress?',
      'Diagnose batches',
      'Done',
      'Fixes applied?',
      'Notify failure',
      'Plan and apply fixes',
      'Report and notify',
      'Run failed',
      'Skipped: locked',
      'Start run',
      'Verify',
      'Wait for agents',
    ].sort(),
  );
  expect(asl.StartAt).toBe('Start run');
  // A batch that fails after its retries is caught into a Pass state: the Map goes on.
  expect(Object.keys(mapProcessor().States).sort()).toEqual(['Batch not diagnosed', 'Diagnose batch']);
  expect(mapProcessor().States['Diagnose batch']?.Catch).toEqual([
    { ErrorEquals: ['States.ALL'], ResultPath: null, Next: 'Batch not diagnosed' },
  ]);
  expect(asl.TimeoutSeconds).toBe(3 * 3600);
});

describe('tasks', () => {
  it('call the function directly (payloadResponseOnly) and retry Lambda service errors with full jitter', () => {
    expect(allTasks()).toHaveLength(6);
    for (const [name, task] of allTasks()) {
      expect(task.Resource, name).toMatch(/^arn:aws:lambda:eu-west-1:123456789012:function:/);
      expect(task.Retry, name).toEqual([
        {
          ErrorEquals: [
            'Lambda.ServiceException',
            'Lambda.AWSLambdaException',
            'Lambda.SdkClientException',
            'Lambda.TooManyRequestsException',
          ],
          IntervalSeconds: 2,
          BackoffRate: 2,
          MaxAttempts: 4,
          JitterStrategy: 'FULL',
        },
        // An AWS outage the stage met (lambdas/aws/errors.ts AwsOutage) is retried later, then fails the run.
        {
          ErrorEquals: ['AwsOutage'],
          IntervalSeconds: 30,
          BackoffRate: 2,
          MaxAttempts: 3,
          JitterStrategy: 'FULL',
        },
      ]);
    }
  });

  it('call the right function for each state', () => {
    const fn = synth.stack.functions;
    const expected: Record<string, keyof typeof fn> = {
      'Start run': 'start-run',
      'Diagnose batch': 'diagnose-batch',
      'Plan and apply fixes': 'remediate',
      Verify: 'verify',
      'Report and notify': 'report',
      'Notify failure': 'notify-failure',
    };
    const tasks = Object.fromEntries(allTasks());
    for (const [name, handler] of Object.entries(expected)) {
      expect(tasks[name]?.Resource, name).toMatch(
        new RegExp(`:function:${logicalIdOf(fn[handler].function)}$`),
      );
    }
  });

  it('catch everything into $.error and go to Notify failure (the Map catches for its task)', () => {
    const catching = [
      ...allTasks().filter(([n]) => n !== 'Diagnose batch' && n !== 'Notify failure'),
      ['Diagnose batches', state('Diagnose batches')] as const,
    ];
    expect(catching.map(([n]) => n).sort()).toEqual(
      ['Diagnose batches', 'Plan and apply fixes', 'Report and notify', 'Start run', 'Verify'].sort(),
    );
    for (const [name, s] of catching) {
      expect(s.Catch, name).toEqual([
        { ErrorEquals: ['States.ALL'], ResultPath: '$.error', Next: 'Notify failure' },
      ]);
    }
    expect(state('Notify failure').Catch).toEqual([
      { ErrorEquals: ['States.ALL'], ResultPath: '$.notifyError', Next: 'Run failed' },
    ]);
    expect(state('Notify failure').Next).toBe('Run failed');
    expect(state('Run failed')).toMatchObject({
      Type: 'Fail',
      ErrorPath: '$.error.Error',
      CausePath: '$.error.Cause',
    });
  });

  it('pass only the run id to the stages after diagnosis, keeping results under their own keys', () => {
    for (const [name, resultPath] of [
      ['Plan and apply fixes', '$.remediation'],
      ['Verify', '$.verification'],
      ['Report and notify', '$.report'],
    ] as const) {
      expect(state(name), name).toMatchObject({
        Parameters: { 'runId.$': '$.runId' },
        ResultPath: resultPath,
      });
    }
  });
});

describe('graph', () => {
  it('reaches every state, and every path ends in a Succeed or a Fail', () => {
    const reachable = new Set<string>();
    const visit = (name: string) => {
      if (reachable.has(name)) return;
      reachable.add(name);
      successors(state(name)).forEach(visit);
    };
    visit(asl.StartAt);
    expect([...reachable].sort()).toEqual(Object.keys(asl.States).sort());
    const endsWell = (name: string, seen = new Set<string>()): boolean => {
      const s = state(name);
      if (s.Type === 'Succeed' || s.Type === 'Fail') return true;
      seen.add(name);
      return successors(s).some((next) => !seen.has(next) && endsWell(next, new Set(seen)));
    };
    for (const name of Object.keys(asl.States)) expect(endsWell(name), name).toBe(true);
    for (const [name, s] of Object.entries(asl.States)) {
      const terminal = s.Type === 'Succeed' || s.Type === 'Fail';
      if (terminal) expect(successors(s), name).toEqual([]);
      else
        expect({ name, end: s.End ?? false, next: successors(s).length > 0 }).toEqual({
          name,
          end: false,
          next: true,
        });
    }
  });

  it('skips a locked run, and waits then verifies only when fixes were applied', () => {
    expect(state('Another run in progress?')).toMatchObject({
      Choices: [{ Variable: '$.locked', BooleanEquals: true, Next: 'Skipped: locked' }],
      Default: 'Diagnose batches',
    });
    expect(state('Fixes applied?')).toMatchObject({
      Choices: [
        {
          And: [
            { Variable: '$.remediation.applied', NumericGreaterThan: 0 },
            { Variable: '$.verifyWaitSeconds', NumericGreaterThan: 0 },
          ],
          Next: 'Wait for agents',
        },
      ],
      Default: 'Report and notify',
    });
    expect(state('Wait for agents')).toMatchObject({ SecondsPath: '$.verifyWaitSeconds', Next: 'Verify' });
    expect(state('Verify').Next).toBe('Report and notify');
    expect(state('Report and notify').Next).toBe('Done');
  });

  it('diagnoses batches four at a time from references and discards the results', () => {
    expect(state('Diagnose batches')).toMatchObject({
      Type: 'Map',
      ItemsPath: '$.batches',
      ItemSelector: { 'runId.$': '$.runId', 'batchIndex.$': '$$.Map.Item.Value' },
      MaxConcurrency: 4,
      ResultPath: null,
      Next: 'Plan and apply fixes',
    });
  });
});
