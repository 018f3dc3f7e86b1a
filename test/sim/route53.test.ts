/**
 * The simulated Route 53 / Resolver reads, through the SDK's Route 53 client and our small
 * Resolver client (lambdas/aws/resolver-client.ts): served from the world's `route53` /
 * `route53resolver` keys, paged, denied as AWS denies, and a malformed section rejected with its
 * path. Also both clients on the wire (REST-XML, JSON 1.1), which the simulated account bypasses.
 */
import {
  ListHostedZonesByVPCCommand,
  ListResourceRecordSetsCommand,
  NoSuchHostedZone,
  Route53Client,
  Route53ServiceException,
} from '@aws-sdk/client-route-53';
import { ConfiguredRetryStrategy } from '@smithy/core/retry';
import type { HttpRequest } from '@smithy/types';
import { describe, expect, it, vi } from 'vitest';
import { attempt, DENIED_OR_THROTTLED, errorCode } from '../../lambdas/aws/errors.ts';
import {
  ListResolverRuleAssociationsCommand,
  ListResolverRulesCommand,
  Route53ResolverClient,
  resolverOutput,
  resolverRequest,
} from '../../lambdas/aws/resolver-client.ts';
import { SimulatedAccount } from '../../lambdas/sim/account.ts';
import { parseWorld } from '../../lambdas/sim/world.ts';
import { ACCOUNT, REGION, world } from './helpers.ts';

const VPC = 'vpc-0a1a1a1a1a1a1a1a1';
const zones = {
  HostedZones: [
    {
      Id: '/hostedzone/Z0SSMZONE1',
      Name: 'ssm.eu-west-1.amazonaws.com.',
      Config: { PrivateZone: true },
      VPCs: [{ VPCId: VPC, VPCRegion: REGION }],
      ResourceRecordSets: Array.from({ length: 350 }, (_, i) => ({
        Name: `r${String(i).padStart(3, '0')}.ssm.eu-west-1.amazonaws.com.`,
        Type: 'A',
        ResourceRecords: [{ Value: '10.0.0.1' }],
      })),
    },
    {
      Id: 'Z0FOREIGN1',
      Name: 'ec2messages.eu-west-1.amazonaws.com.',
      Owner: { OwningAccount: '999988887777' },
      VPCs: [{ VPCId: VPC }],
    },
    { Id: 'Z0OTHERVPC', Name: 'example.internal.', VPCs: [{ VPCId: 'vpc-0other' }] },
  ],
};

function clients(sections: Record<string, unknown>, caller?: { Statement: unknown[] }) {
  const account = new SimulatedAccount(
    world({
      ...sections,
      ...(caller ? { simulation: { callerPolicy: { Version: '2012-10-17', ...caller } } } : {}),
    }),
  );
  const config = {
    region: REGION,
    credentials: { accessKeyId: 'a', secretAccessKey: 'b' },
    maxAttempts: 2,
    retryStrategy: new ConfiguredRetryStrategy(2, () => 0),
  };
  const route53 = new Route53Client(config);
  const resolver = new Route53ResolverClient(config);
  account.attach(route53, account.cliCaller());
  account.attach(resolver, account.cliCaller());
  return { account, route53, resolver };
}

describe('simulated Route 53', () => {
  it('lists the zones associated with a VPC, with their owners', async () => {
    const { route53 } = clients({ route53: zones });
    const out = await route53.send(new ListHostedZonesByVPCCommand({ VPCId: VPC, VPCRegion: REGION }));
    expect(out.HostedZoneSummaries?.map((z) => [z.HostedZoneId, z.Owner?.OwningAccount])).toEqual([
      ['Z0SSMZONE1', ACCOUNT],
      ['Z0FOREIGN1', '999988887777'],
    ]);
  });

  it("pages a zone's records by name and denies another account's zone", async () => {
    const { route53 } = clients({ route53: zones });
    const first = await route53.send(new ListResourceRecordSetsCommand({ HostedZoneId: 'Z0SSMZONE1' }));
    expect(first.ResourceRecordSets).toHaveLength(300);
    expect(first.IsTruncated).toBe(true);
    const rest = await route53.send(
      new ListResourceRecordSetsCommand({
        HostedZoneId: '/hostedzone/Z0SSMZONE1',
        StartRecordName: first.NextRecordName,
        StartRecordType: first.NextRecordType,
      }),
    );
    expect(rest.ResourceRecordSets).toHaveLength(50);
    expect(rest.IsTruncated).toBe(false);
    const denied = await route53
      .send(new ListResourceRecordSetsCommand({ HostedZoneId: 'Z0FOREIGN1' }))
      .catch((e: unknown) => e);
    expect(errorCode(denied)).toBe('AccessDenied');
    expect(denied).toBeInstanceOf(Route53ServiceException);
    const missing = await route53
      .send(new ListResourceRecordSetsCommand({ HostedZoneId: 'Z0NOSUCHZONE' }))
      .catch((e: unknown) => e);
    expect(missing).toBeInstanceOf(NoSuchHostedZone);
    expect((missing as NoSuchHostedZone).$metadata.httpStatusCode).toBe(404);
  });

  it("denies a caller whose policy lacks the action, with each service's own code", async () => {
    const { route53, resolver } = clients(
      { route53: zones },
      { Statement: [{ Effect: 'Allow', Action: 'ec2:Describe*', Resource: '*' }] },
    );
    const r53 = await route53
      .send(new ListHostedZonesByVPCCommand({ VPCId: VPC, VPCRegion: REGION }))
      .catch((e: unknown) => e);
    expect(errorCode(r53)).toBe('AccessDenied');
    const rr = await resolver.send(new ListResolverRulesCommand({})).catch((e: unknown) => e);
    expect(errorCode(rr)).toBe('AccessDeniedException');
  });

  it('retries throttling like the SDK would, then answers', async () => {
    const { route53, account } = clients({
      route53: zones,
      simulation: { faults: [{ operation: 'ListHostedZonesByVPC', code: 'Throttling', times: 1 }] },
    });
    const out = await route53.send(new ListHostedZonesByVPCCommand({ VPCId: VPC, VPCRegion: REGION }));
    expect(out.HostedZoneSummaries).toHaveLength(2);
    expect(account.callCounts()['route53:ListHostedZonesByVPC']).toBe(2);
  });
});

describe('simulated Route 53 Resolver', () => {
  it('lists rules and associations with the API filters', async () => {
    const { resolver } = clients({
      route53resolver: {
        ResolverRules: [
          {
            Id: 'rslvr-rr-1',
            DomainName: 'amazonaws.com.',
            RuleType: 'FORWARD',
            TargetIps: [{ Ip: '192.168.1.2' }],
          },
          { Id: 'rslvr-rr-2', DomainName: 'internal.', RuleType: 'SYSTEM' },
        ],
        ResolverRuleAssociations: [
          { ResolverRuleId: 'rslvr-rr-1', VPCId: VPC },
          { ResolverRuleId: 'rslvr-rr-2', VPCId: 'vpc-0other' },
        ],
      },
    });
    const rules = await resolver.send(
      new ListResolverRulesCommand({ Filters: [{ Name: 'Type', Values: ['FORWARD'] }] }),
    );
    expect(rules.ResolverRules?.map((r) => r.Id)).toEqual(['rslvr-rr-1']);
    const associations = await resolver.send(
      new ListResolverRuleAssociationsCommand({ Filters: [{ Name: 'VPCId', Values: [VPC] }] }),
    );
    expect(associations.ResolverRuleAssociations?.map((a) => a.ResolverRuleId)).toEqual(['rslvr-rr-1']);
  });
});

describe('world schema for route53 / route53resolver', () => {
  const base = { format: 'ssm-doctor/world@1', accountId: ACCOUNT, region: REGION };
  it('rejects a malformed zone or rule with its JSON path', () => {
    expect(() =>
      parseWorld({ ...base, route53: { HostedZones: [{ Id: 'not-a-zone', Name: 'x.' }] } }, 'w'),
    ).toThrow(/route53\.HostedZones\[0\]\.Id/);
    expect(() =>
      parseWorld(
        {
          ...base,
          route53resolver: {
            ResolverRules: [
              { Id: 'rslvr-rr-1', DomainName: 'a.', RuleType: 'FORWARD', TargetIps: [{ Ip: 'nope' }] },
            ],
          },
        },
        'w',
      ),
    ).toThrow(/TargetIps\[0\]\.Ip/);
    expect(() => parseWorld({ ...base, route53: { Zones: [] } }, 'w')).toThrow(/route53/);
  });
});

/** A request handler standing in for the network: records each request, answers from `answers`. */
function wire(answers: { statusCode: number; body: string }[]) {
  const seen: HttpRequest[] = [];
  const handle = async (request: HttpRequest) => {
    seen.push(request);
    const { Readable } = await import('node:stream');
    const answer = answers[Math.min(seen.length, answers.length) - 1] ?? { statusCode: 500, body: '' };
    return {
      response: {
        statusCode: answer.statusCode,
        headers: { 'content-type': 'text/xml' },
        body: Readable.from([Buffer.from(answer.body)]),
      },
    };
  };
  return { seen, requestHandler: { handle } };
}

describe('the clients on the wire (what the simulated account stands in for)', () => {
  it('asks Route 53 by REST-XML, signed for route53 in us-east-1, and reads its lists, numbers and errors', async () => {
    const { seen, requestHandler } = wire([
      {
        statusCode: 200,
        body: '<?xml version="1.0"?><ListResourceRecordSetsResponse xmlns="https://route53.amazonaws.com/doc/2013-04-01/"><ResourceRecordSets><ResourceRecordSet><Name>ssm.eu-west-1.amazonaws.com.</Name><Type>A</Type><TTL>60</TTL><ResourceRecords><ResourceRecord><Value>10.0.1.10</Value></ResourceRecord></ResourceRecords></ResourceRecordSet></ResourceRecordSets><IsTruncated>false</IsTruncated><MaxItems>300</MaxItems></ListResourceRecordSetsResponse>',
      },
      {
        statusCode: 403,
        body: '<ErrorResponse><Error><Type>Sender</Type><Code>AccessDenied</Code><Message>no</Message></Error><RequestId>r-1</RequestId></ErrorResponse>',
      },
    ]);
    const client = new Route53Client({
      region: REGION,
      credentials: { accessKeyId: 'AKIAEXAMPLE', secretAccessKey: 'secret' },
      requestHandler,
      maxAttempts: 1,
    });
    const out = await client.send(
      new ListResourceRecordSetsCommand({
        HostedZoneId: '/hostedzone/Z1',
        StartRecordName: 'ssm.eu-west-1.amazonaws.com.',
        MaxItems: 300,
      }),
    );
    expect(seen[0]?.method).toBe('GET');
    expect(seen[0]?.hostname).toBe('route53.amazonaws.com');
    expect(seen[0]?.path).toBe('/2013-04-01/hostedzone/Z1/rrset');
    expect(seen[0]?.query).toEqual({ name: 'ssm.eu-west-1.amazonaws.com.', maxitems: '300' });
    expect(seen[0]?.headers.authorization).toMatch(
      /^AWS4-HMAC-SHA256 Credential=AKIAEXAMPLE\/\d{8}\/us-east-1\/route53\/aws4_request/,
    );
    expect(out.ResourceRecordSets).toEqual([
      { Name: 'ssm.eu-west-1.amazonaws.com.', Type: 'A', TTL: 60, ResourceRecords: [{ Value: '10.0.1.10' }] },
    ]);
    expect(out.IsTruncated).toBe(false);
    expect(out.MaxItems).toBe(300);
    const denied = await attempt(
      'ListHostedZonesByVPC',
      () => client.send(new ListHostedZonesByVPCCommand({ VPCId: VPC, VPCRegion: REGION })),
      DENIED_OR_THROTTLED,
    );
    expect(seen[1]?.path).toBe('/2013-04-01/hostedzonesbyvpc');
    expect(seen[1]?.query).toEqual({ vpcid: VPC, vpcregion: REGION });
    expect(denied).toMatchObject({ ok: false, problem: { code: 'AccessDenied', kind: 'denied' } });
    client.destroy();
  });

  it('asks the Resolver by JSON 1.1 and reads its errors', () => {
    const request = resolverRequest('ListResolverRules', { MaxResults: 100 }, REGION);
    expect(request.method).toBe('POST');
    expect(request.hostname).toBe('route53resolver.eu-west-1.amazonaws.com');
    expect(request.headers['x-amz-target']).toBe('Route53Resolver.ListResolverRules');
    expect(request.body).toBe('{"MaxResults":100}');
    let error: unknown;
    try {
      resolverOutput(400, '{"__type":"com.amazonaws.route53resolver#ThrottlingException","message":"slow"}');
    } catch (e) {
      error = e;
    }
    expect(errorCode(error)).toBe('ThrottlingException');
    expect((error as { $metadata: { httpStatusCode: number } }).$metadata.httpStatusCode).toBe(400);
  });
});

describe('the Resolver client without a simulated account', () => {
  it('signs the request (SigV4 for route53resolver in the region) and parses what comes back', async () => {
    const { NodeHttpHandler } = await import('@smithy/node-http-handler');
    const { Readable } = await import('node:stream');
    const seen: { headers: Record<string, string>; hostname: string }[] = [];
    const handle = vi.spyOn(NodeHttpHandler.prototype, 'handle').mockImplementation(async (request) => {
      seen.push(request as never);
      const body = Readable.from([
        Buffer.from(
          '{"ResolverRules":[{"Id":"rslvr-rr-1","DomainName":"amazonaws.com.","RuleType":"FORWARD"}]}',
        ),
      ]);
      return { response: { statusCode: 200, headers: {}, body } as never };
    });
    try {
      const client = new Route53ResolverClient({
        region: REGION,
        credentials: { accessKeyId: 'AKIAEXAMPLE', secretAccessKey: 'secret' },
      });
      const out = await client.send(new ListResolverRulesCommand({ MaxResults: 100 }));
      expect(out.ResolverRules).toEqual([
        { Id: 'rslvr-rr-1', DomainName: 'amazonaws.com.', RuleType: 'FORWARD' },
      ]);
      expect(seen[0]?.hostname).toBe('route53resolver.eu-west-1.amazonaws.com');
      expect(seen[0]?.headers.authorization).toMatch(
        /^AWS4-HMAC-SHA256 Credential=AKIAEXAMPLE\/\d{8}\/eu-west-1\/route53resolver\/aws4_request/,
      );
      client.destroy();
    } finally {
      handle.mockRestore();
    }
  });
});
