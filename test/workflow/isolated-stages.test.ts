/**
 * The benchmark runs every stage in a process of its own (test/support/bench/isolated-stages.ts),
 * reaching the simulated account and dynalite over IPC. What it measures is only worth something
 * if the workflow does there exactly what it does in process: the same calls, writes, report and
 * email.
 */
import { describe, expect, it } from 'vitest';
import { errorCode, expectedKind } from '../../lambdas/aws/errors.ts';
import { awsError, SimulatedAccount, type World } from '../../lambdas/sim/index.ts';
import { IsolatedStages } from '../support/bench/isolated-stages.ts';
import { fromWireError, fromWireOutput, toWireError, toWireOutput } from '../support/bench/stage-wire.ts';
import { localDeployment } from '../support/local/definition.ts';
import type { LocalDynamo } from '../support/local/dynamo-local.ts';
import { deployedInto, runLocally } from '../support/local/run-locally.ts';
import { archivedReport, sampleFleet, withTable } from './harness.ts';

const SETTINGS = { 'remediation-mode': 'on', 'enforce-imdsv2': 'true' };

async function runOn(dynamo: LocalDynamo, world: World, isolated: boolean, memoryMb = 512) {
  const deployment = localDeployment(world, dynamo.tableName);
  const account = new SimulatedAccount(deployedInto(world, deployment, SETTINGS));
  const tableCalls: string[] = [];
  const stages = isolated
    ? await IsolatedStages.create(account, deployment, dynamo.endpoint, {
        memoryMb,
        onTableCall: (command) => tableCalls.push(String(command)),
      })
    : undefined;
  try {
    const result = await runLocally({
      deployment,
      world,
      dynamo,
      account,
      // The same run id both ways: it names the report's keys and the email's link.
      executionName: 'isolated-stages-test',
      ...(stages ? { stageOverrides: stages.handlers() } : {}),
    });
    return { result, stages, tableCalls };
  } finally {
    await stages?.close();
  }
}

/** Request ids are fresh per call (the simulated account's, as AWS's): everything else must match. */
const sameRun = (value: unknown) =>
  JSON.parse(
    JSON.stringify(value).replace(/[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}/g, 'id'),
  );

describe('stages in processes of their own (the benchmark)', () => {
  it('run the workflow as in process: same calls, changes, report and email; each stage measured', async () => {
    // Prepare
    const world = await sampleFleet();

    // Act
    const inProcess = await withTable((dynamo) => runOn(dynamo, world, false));
    const isolated = await withTable((dynamo) => runOn(dynamo, world, true));

    // Assess
    expect(isolated.result.status).toBe('SUCCEEDED');
    expect(isolated.result.output).toEqual(inProcess.result.output);
    expect(isolated.result.account.callCounts()).toEqual(inProcess.result.account.callCounts());
    expect(isolated.result.account.changes.map((c) => [c.action, c.target])).toEqual(
      inProcess.result.account.changes.map((c) => [c.action, c.target]),
    );
    expect(sameRun(archivedReport(isolated.result.account))).toEqual(
      sameRun(archivedReport(inProcess.result.account)),
    );
    expect(sameRun(isolated.result.account.published)).toEqual(sameRun(inProcess.result.account.published));
    expect(isolated.tableCalls).toEqual(expect.arrayContaining(['PutItemCommand', 'QueryCommand']));
    const states = ['Start run', 'Diagnose batch', 'Plan and apply fixes', 'Verify', 'Report and notify'];
    const stages = isolated.stages as IsolatedStages;
    expect(Object.keys(stages.peakRssMb).sort()).toEqual([...states].sort());
    expect(Object.keys(stages.cpuSeconds).sort()).toEqual([...states].sort());
    for (const state of states) {
      expect(stages.peakRssMb[state]).toBeGreaterThanOrEqual(stages.idleRssMb[state] ?? Number.NaN);
      expect(stages.idleRssMb[state]).toBeGreaterThan(20);
    }
    expect(stages.failures).toEqual({});
  });

  it('fail a stage whose process needs more than its function has, as Lambda stops it', async () => {
    const world = await sampleFleet();

    // A Node process with its handler loaded is larger than this, before any work.
    const isolated = await withTable((dynamo) => runOn(dynamo, world, true, 64));

    expect(isolated.result.status).toBe('FAILED');
    expect(isolated.stages?.failures['Start run']).toMatch(/^used \d+ MB, more than a 64 MB function has$/);
  });
});

describe('what crosses between a stage process and the account', () => {
  it('an AWS error keeps what retries and our error matching read', () => {
    const sent = awsError('ec2', 'RequestLimitExceeded', 'Request limit exceeded.');
    const received = fromWireError(structuredClone(toWireError(sent))) as typeof sent;
    expect(received).toBeInstanceOf(Error);
    expect(received.name).toBe(sent.name);
    expect(received.message).toBe(sent.message);
    expect(received.$fault).toBe('server');
    expect(received.$metadata).toEqual(sent.$metadata);
    expect(errorCode(received)).toBe('RequestLimitExceeded');
    expect(expectedKind(received, ['throttled'])).toBe('throttled');
  });

  it('a body stream arrives as a stream of the same bytes', async () => {
    const bytes = new TextEncoder().encode('{"a":1}');
    const sent = { Body: { transformToByteArray: async () => bytes }, ContentLength: 7 };
    const received = fromWireOutput(structuredClone(await toWireOutput(sent))) as {
      Body: { transformToString(): Promise<string> };
      ContentLength: number;
    };
    expect(await received.Body.transformToString()).toBe('{"a":1}');
    expect(received.ContentLength).toBe(7);
  });
});
