import { DynamoDBClient, ListTablesCommand } from '@aws-sdk/client-dynamodb';
import {
  DescribeInstancesCommand,
  DescribeKeyPairsCommand,
  DescribeRouteTablesCommand,
  DescribeVpcsCommand,
  EC2Client,
  EC2ServiceException,
} from '@aws-sdk/client-ec2';
import { GetRoleCommand, NoSuchEntityException } from '@aws-sdk/client-iam';
import { DescribeInstanceInformationCommand } from '@aws-sdk/client-ssm';
import { GetCallerIdentityCommand } from '@aws-sdk/client-sts';
import { isThrottlingError, isTransientError } from '@smithy/core/retry';
import { afterEach, describe, expect, test, vi } from 'vitest';
import { SimulatedAccount } from '../../lambdas/sim/account.ts';
import { awsError, SimulatorError } from '../../lambdas/sim/errors.ts';
import type { ServicePrefix } from '../../lambdas/sim/sdk-services.ts';
import { ACCOUNT, instance, REGION, rejection, simulate, world } from './helpers.ts';

/** The SDK's classifiers take `SdkError`, whose `cause` is narrower than Error's. */
type SdkError = Parameters<typeof isThrottlingError>[0];

const fault = (operation: string, code: string, times?: number) => ({
  operation,
  code,
  ...(times ? { times } : {}),
});

describe('the middleware', () => {
  test('sits inside the retry middleware and after signing, and never reaches the HTTP handler', async () => {
    const sim = simulate(world({ ec2: { Instances: [instance('i-1')] } }));
    const stack = sim.ec2.middlewareStack.identify();
    const at = (name: string) => stack.findIndex((entry) => entry.startsWith(name));
    expect(at('retryMiddleware')).toBeGreaterThanOrEqual(0);
    expect(at('httpSigningMiddleware')).toBeGreaterThan(at('retryMiddleware'));
    expect(at('ssmDoctorSimulatedAccount')).toBeGreaterThan(at('httpSigningMiddleware'));
    expect(at('ssmDoctorSimulatedAccount')).toBeLessThan(at('deserializerMiddleware'));
    const handle = vi.spyOn(sim.ec2.config.requestHandler as { handle: () => unknown }, 'handle');
    const out = await sim.ec2.send(new DescribeInstancesCommand({}));
    expect(out.Reservations?.[0].Instances?.[0].InstanceId).toBe('i-1');
    expect(handle).not.toHaveBeenCalled();
    expect(out.$metadata).toMatchObject({ httpStatusCode: 200, attempts: 1 });
    expect(out.$metadata.requestId).toMatch(/^[0-9a-f-]{36}$/);
  });

  describe('with no credentials in the environment', () => {
    const saved = { id: process.env.AWS_ACCESS_KEY_ID, secret: process.env.AWS_SECRET_ACCESS_KEY };
    afterEach(() => {
      process.env.AWS_ACCESS_KEY_ID = saved.id;
      process.env.AWS_SECRET_ACCESS_KEY = saved.secret;
    });

    test('a fresh client with explicit fake credentials is signed without any network', async () => {
      delete process.env.AWS_ACCESS_KEY_ID;
      delete process.env.AWS_SECRET_ACCESS_KEY;
      const account = new SimulatedAccount(world());
      const client = new EC2Client({
        region: REGION,
        credentials: { accessKeyId: 'AKIAFAKE', secretAccessKey: 'fake' },
      });
      let authorization: string | undefined;
      client.middlewareStack.add(
        (next) => async (args) => {
          authorization = (args.request as { headers: Record<string, string> }).headers.authorization;
          return next(args);
        },
        { step: 'finalizeRequest', priority: 'low', name: 'probe' },
      );
      account.attach(client);
      await client.send(new DescribeVpcsCommand({}));
      expect(authorization).toMatch(
        /^AWS4-HMAC-SHA256 Credential=AKIAFAKE\/\d{8}\/eu-west-1\/ec2\/aws4_request/,
      );
    });
  });

  test('counts every call by IAM action, and can be reset', async () => {
    const sim = simulate(world());
    await sim.ec2.send(new DescribeVpcsCommand({}));
    await sim.ec2.send(new DescribeVpcsCommand({}));
    await sim.ssm.send(new DescribeInstanceInformationCommand({}));
    await sim.sts.send(new GetCallerIdentityCommand({}));
    expect(sim.account.callCounts()).toEqual({
      'ec2:DescribeVpcs': 2,
      'ssm:DescribeInstanceInformation': 1,
      'sts:GetCallerIdentity': 1,
    });
    expect(sim.account.totalCalls()).toBe(4);
    sim.account.resetCounts();
    expect(sim.account.totalCalls()).toBe(0);
    expect(sim.account.callCounts()).toEqual({});
  });

  test('an operation the simulator does not implement fails loudly and is not retried', async () => {
    const sim = simulate(world());
    const error = await rejection(sim.ec2.send(new DescribeKeyPairsCommand({})));
    expect(error).toBeInstanceOf(SimulatorError);
    expect(error.message).toBe('The simulated account does not implement ec2:DescribeKeyPairs');
    expect(sim.account.callCounts()).toEqual({ 'ec2:DescribeKeyPairs': 1 });
  });

  test('a client of a service the simulator does not know fails the same way', async () => {
    const account = new SimulatedAccount(world());
    const dynamo = account.attach(new DynamoDBClient(account.clientConfig()));
    const error = await rejection(dynamo.send(new ListTablesCommand({})));
    expect(error.message).toBe('The simulated account does not implement dynamodb:ListTables');
  });
});

describe('errors', () => {
  test('a modeled error is the SDK class, with the wire code in Code', async () => {
    const sim = simulate(world());
    const error = await rejection(sim.iam.send(new GetRoleCommand({ RoleName: 'ghost' })));
    expect(error).toBeInstanceOf(NoSuchEntityException);
    expect(error.name).toBe('NoSuchEntityException');
    expect(error.Code).toBe('NoSuchEntity');
    expect(error.Error).toEqual({
      Code: 'NoSuchEntity',
      Type: 'Sender',
      Message: 'The role with name ghost cannot be found.',
    });
    expect(error.$fault).toBe('client');
    expect(error.$metadata).toMatchObject({ httpStatusCode: 404, attempts: 1 });
    expect((error.$metadata as { requestId?: string }).requestId).toMatch(/^[0-9a-f-]{36}$/);
  });

  test('an unmodeled error is the service base exception named by the code', async () => {
    const sim = simulate(world());
    const error = await rejection(sim.ec2.send(new DescribeInstancesCommand({ InstanceIds: ['i-404'] })));
    expect(error).toBeInstanceOf(EC2ServiceException);
    expect(error.name).toBe('InvalidInstanceID.NotFound');
    expect(error.Code).toBe('InvalidInstanceID.NotFound');
    expect(error.message).toBe("The instance ID 'i-404' does not exist");
    expect(error.$metadata).toMatchObject({ httpStatusCode: 400 });
  });

  test.each<[ServicePrefix, string]>([
    ['iam', 'Throttling'],
    ['sts', 'Throttling'],
    ['ssm', 'ThrottlingException'],
    ['ec2', 'RequestLimitExceeded'],
    ['cloudwatch', 'Throttling'],
    ['sns', 'Throttled'],
    ['ssm', 'TooManyRequestsException'],
  ])('%s %s is classified as throttling by the SDK', (service, code) => {
    const error = awsError(service, code, 'slow down');
    expect(isThrottlingError(error as SdkError)).toBe(true);
  });

  test.each<[ServicePrefix, string, number]>([
    ['ec2', 'UnauthorizedOperation', 403],
    ['iam', 'AccessDenied', 403],
    ['ssm', 'AccessDeniedException', 400],
    ['ec2', 'InvalidVpcID.NotFound', 400],
  ])('%s %s is a client error (%d), neither throttling nor transient', (service, code, status) => {
    const error = awsError(service, code, 'no');
    expect(error.$metadata.httpStatusCode).toBe(status);
    expect(error.$fault).toBe('client');
    expect(isThrottlingError(error as SdkError)).toBe(false);
    expect(isTransientError(error as SdkError)).toBe(false);
  });

  test('server errors are server faults', () => {
    const error = awsError('ec2', 'InternalError', 'oops');
    expect(error.$fault).toBe('server');
    expect(error.$metadata.httpStatusCode).toBe(500);
  });
});

describe('simulation.faults', () => {
  test('a throttling fault is retried by the standard retry strategy until it clears', async () => {
    const sim = simulate(
      world({ simulation: { faults: [fault('DescribeRouteTables', 'RequestLimitExceeded', 2)] } }),
    );
    const out = await sim.ec2.send(new DescribeRouteTablesCommand({}));
    expect(out.RouteTables).toEqual([]);
    expect(out.$metadata.attempts).toBe(3);
    expect(sim.account.callCounts()).toEqual({ 'ec2:DescribeRouteTables': 3 });
  });

  test('the adaptive retry strategy retries it too', async () => {
    const sim = simulate(
      world({ simulation: { faults: [fault('GetCallerIdentity', 'Throttling', 1)] } }),
      {},
      {
        retryMode: 'adaptive',
      },
    );
    const out = await sim.sts.send(new GetCallerIdentityCommand({}));
    expect(out.Account).toBe(ACCOUNT);
    expect(out.$metadata.attempts).toBe(2);
  });

  test('an AccessDenied fault is not retried and keeps failing (no times = always)', async () => {
    const sim = simulate(
      world({ simulation: { faults: [{ ...fault('iam:GetRole', 'AccessDenied'), message: 'nope' }] } }),
    );
    for (let i = 0; i < 2; i++) {
      const error = await rejection(sim.iam.send(new GetRoleCommand({ RoleName: 'any' })));
      expect(error.name).toBe('AccessDenied');
      expect(error.message).toBe('nope');
      expect(error.$metadata).toMatchObject({ httpStatusCode: 403, attempts: 1 });
    }
    expect(sim.account.callCounts()).toEqual({ 'iam:GetRole': 2 });
  });

  test('faults match the operation name, or service:operation, with wildcards', async () => {
    const sim = simulate(
      world({
        simulation: {
          faults: [
            fault('ec2:Describe*', 'UnauthorizedOperation', 1),
            fault('GetCallerIdentity', 'ExpiredToken', 1),
          ],
        },
      }),
    );
    expect((await rejection(sim.ec2.send(new DescribeVpcsCommand({})))).name).toBe('UnauthorizedOperation');
    expect((await sim.ec2.send(new DescribeVpcsCommand({}))).Vpcs).toEqual([]);
    expect((await rejection(sim.sts.send(new GetCallerIdentityCommand({})))).name).toBe('ExpiredToken');
  });
});

describe('the account', () => {
  test('now() is the world clock when set, the injected clock when given, else real time', () => {
    expect(new SimulatedAccount(world({ now: '2026-11-26T06:00:00Z' })).now().toISOString()).toBe(
      '2026-11-26T06:00:00.000Z',
    );
    const fixed = new Date('2030-01-01T00:00:00Z');
    expect(new SimulatedAccount(world(), { clock: () => fixed }).now()).toBe(fixed);
    const real = new SimulatedAccount(world()).now().getTime();
    expect(Math.abs(real - Date.now())).toBeLessThan(5_000);
  });

  test('works on its own copy: neither the given world nor a snapshot can change it', () => {
    const w = world({ ec2: { Instances: [instance('i-1')] } });
    const account = new SimulatedAccount(w);
    w.ec2.Instances.length = 0;
    const snapshot = account.snapshot();
    snapshot.ec2.Instances[0].InstanceId = 'i-changed';
    expect(account.snapshot().ec2.Instances[0].InstanceId).toBe('i-1');
  });

  test('latencyMs delays every answer', async () => {
    const sim = simulate(world(), { latencyMs: 60 });
    const started = performance.now();
    await sim.ec2.send(new DescribeVpcsCommand({}));
    expect(performance.now() - started).toBeGreaterThanOrEqual(55);
  });

  test('clientConfig gives the world region and static credentials', () => {
    const config = new SimulatedAccount(world()).clientConfig();
    expect(config.region).toBe(REGION);
    expect(config.credentials.accessKeyId).toMatch(/^AKIA/);
  });
});
