import type { Route } from '@aws-sdk/client-ec2';
import { describe, expect, it } from 'vitest';
import { servicePathChecks } from '../../../lambdas/engine/checks/network/path-checks.ts';
import { routeTable, run, world } from './fixtures.ts';

const [ssmPath] = servicePathChecks as [(typeof servicePathChecks)[0]];

function withRoutes(...routes: Route[]) {
  const w = world();
  const table = routeTable('rtb-main', 'main', { GatewayId: 'igw-1' });
  table.Routes = [...(table.Routes ?? []), ...routes];
  w.routeTables = [table];
  return w;
}

describe('network.path.* — more specific routes', () => {
  it('warns, naming the route, when a public destination goes somewhere else than the default route', () => {
    const result = run(
      ssmPath,
      withRoutes({ DestinationCidrBlock: '52.0.0.0/8', TransitGatewayId: 'tgw-1', State: 'active' }),
    );

    expect(result.status).toBe('warn');
    expect(result.summary).toContain('52.0.0.0/8 → tgw-1');
    expect(result.evidence.moreSpecificRoutes).toEqual([{ destination: '52.0.0.0/8', targetId: 'tgw-1' }]);
    expect(result.nextSteps?.[0]).toContain('ssm.eu-west-1.amazonaws.com');
  });

  it('stays quiet for private destinations, gateway-endpoint prefix lists and blackholes', () => {
    const result = run(
      ssmPath,
      withRoutes(
        { DestinationCidrBlock: '10.20.0.0/16', TransitGatewayId: 'tgw-1', State: 'active' },
        { DestinationPrefixListId: 'pl-6da54004', GatewayId: 'vpce-0s3', State: 'active' },
        { DestinationCidrBlock: '203.0.113.0/24', VpcPeeringConnectionId: 'pcx-1', State: 'blackhole' },
      ),
    );

    expect(result.status).toBe('pass');
  });
});
