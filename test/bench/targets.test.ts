/**
 * The benchmark's doubling target bounds the calls the design can share; the contract's
 * per-candidate calls (console output, events) are bounded on their own, so a change that made
 * either grow faster than its bound fails here as surely as one that stopped sharing reads.
 */
import { describe, expect, it } from 'vitest';
import type { WorldSpec } from '../support/bench/benchmark.ts';
import type { RunResult } from '../support/bench/measure.ts';
import type { WorkflowResult } from '../support/bench/measure-workflow.ts';
import { evaluateTargets, type WorldMeasurement } from '../support/bench/targets.ts';

const sum = (calls: Record<string, number>) => Object.values(calls).reduce((a, b) => a + b, 0);

function world(
  label: string,
  candidates: number,
  calls: Record<string, number>,
  workflowCalls = calls,
): WorldMeasurement {
  const total = sum(calls);
  const scan: RunResult = {
    label,
    instances: 10_000,
    candidates,
    totalCalls: total,
    calls,
    wallMs: 1,
    peakRssMb: 1,
  } as RunResult;
  const workflow = { completed: true, apiCalls: sum(workflowCalls), calls: workflowCalls } as WorkflowResult;
  return {
    spec: { label, instances: 10_000, candidateShare: candidates / 10_000 } as WorldSpec,
    offline: scan,
    latency: scan,
    workflow,
  };
}

const doublingOf = (base: WorldMeasurement, doubled: WorldMeasurement) =>
  evaluateTargets([base, doubled]).filter(
    (t) => t.name.includes('doubling') || t.name.includes('console reads') || t.name.includes('events at'),
  );

describe('the doubling target', () => {
  it('holds when only the per-candidate calls double, and names the growth in all', () => {
    const base = world('10k', 1_000, {
      'ec2:DescribeInstances': 400,
      'ec2:GetConsoleOutput': 300,
      'events:PutEvents': 100,
    });
    const doubled = world('10k-doubled', 2_000, {
      'ec2:DescribeInstances': 440,
      'ec2:GetConsoleOutput': 600,
      'events:PutEvents': 200,
    });
    const targets = doublingOf(base, doubled);
    expect(targets.every((t) => t.ok)).toBe(true);
    expect(targets[0]?.measured).toBe('+10.0% (400 -> 440); in all +55.0% (800 -> 1240)');
  });

  it('fails when the shared calls grow by a quarter or more', () => {
    const base = world('10k', 1_000, { 'ec2:DescribeInstances': 400 });
    const doubled = world('10k-doubled', 2_000, { 'ec2:DescribeInstances': 500 });
    expect(doublingOf(base, doubled).filter((t) => !t.ok)).toHaveLength(2); // CLI and workflow
  });

  it('fails when console reads pass the candidates only the console explains, or events one call a ten', () => {
    // Every candidate read (1,000) where the world's make-up has ~290 the outside cannot explain.
    const base = world('10k', 1_000, { 'ec2:DescribeInstances': 400, 'ec2:GetConsoleOutput': 1_000 });
    const doubled = world('10k-doubled', 2_000, { 'ec2:DescribeInstances': 400, 'events:PutEvents': 201 });
    const failed = doublingOf(base, doubled).filter((t) => !t.ok);
    expect(failed.map((t) => t.name)).toEqual([
      expect.stringContaining('console reads at 10k:'),
      expect.stringContaining('workflow events at 10k-doubled:'),
    ]);
  });

  it('fails when the workflow reads console output the CLI does not', () => {
    const cli = { 'ec2:DescribeInstances': 400, 'ec2:GetConsoleOutput': 280 };
    const measured = world('10k', 1_000, cli, { ...cli, 'ec2:GetConsoleOutput': 290 });
    const target = evaluateTargets([measured]).find((t) => t.name.startsWith('console reads'));
    expect(target?.ok).toBe(false);
    expect(target?.measured).toMatch(/^CLI 280, workflow 290, for \d+ such of 1000 candidates$/);
  });
});

describe('the workflow against the CLI', () => {
  const readsTarget = (workflowCalls: Record<string, number>) =>
    evaluateTargets([world('10k', 1_000, { 'ec2:DescribeInstances': 400 }, workflowCalls)]).find((t) =>
      t.name.includes('reads of the account'),
    );

  it("compares what both do, reading the account; the run's own work is named beside it", () => {
    const target = readsTarget({
      'ec2:DescribeInstances': 440,
      'events:PutEvents': 100,
      's3:PutObject': 50,
      'ssm:GetParametersByPath': 2,
    });
    expect(target?.ok).toBe(true);
    expect(target?.measured).toContain('its own work: 152 more calls');
  });

  it("fails past 1.1 x the CLI's reads", () => {
    expect(readsTarget({ 'ec2:DescribeInstances': 441 })?.ok).toBe(false);
  });
});
