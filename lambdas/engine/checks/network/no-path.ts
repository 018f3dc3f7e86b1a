/**
 * The one cause to blame when neither an endpoint nor the internet carries a service: the
 * service's own endpoint problem first, then a missing endpoint in a VPC that uses endpoints for
 * the others, else what is wrong with the internet path.
 */
import type { VpcEndpoint } from '@aws-sdk/client-ec2';
import type { InstanceFacts } from '../../facts.ts';
import { type EndpointUse, serviceOfEndpoint } from './endpoints.ts';
import { createEndpointCommand } from './fix-commands.ts';
import type { InternetPath, ServicePath } from './path-types.ts';
import { instanceOf } from './picture.ts';
import { SSM_SERVICES, type SsmService } from './services.ts';
import { capital, joinNames } from './wording.ts';

/** The cause to blame when neither an endpoint nor the internet carries the service. */
export function blameNoPath(
  facts: InstanceFacts,
  service: SsmService,
  all: readonly VpcEndpoint[],
  use: EndpointUse | undefined,
  internet: InternetPath,
): Pick<ServicePath, 'path' | 'cause' | 'summary' | 'nextSteps'> {
  const alternative = internet.fix ? [`Or give the instance an internet path. ${internet.fix}`] : [];
  if (use?.cause) {
    return {
      path: 'none',
      cause: use.cause,
      summary: `${capital(use.detail)}, and ${internet.detail}.`,
      nextSteps: [use.fix ?? '', ...alternative].filter(Boolean),
    };
  }
  const others = SSM_SERVICES.filter((other) =>
    all.some((endpoint) => serviceOfEndpoint(endpoint, facts.region) === other),
  );
  const vpc = instanceOf(facts).vpcId ?? 'the VPC';
  if (others.length > 0) {
    const template = all.find((endpoint) => serviceOfEndpoint(endpoint, facts.region) === others[0]);
    return {
      path: 'none',
      cause: 'VPC_ENDPOINT_MISSING',
      summary: `VPC ${vpc} has interface endpoints for ${joinNames(others)} but none for ${service}, and ${internet.detail}.`,
      nextSteps: [
        `Create the missing endpoint: ${createEndpointCommand(facts, service, template)}`,
        ...alternative,
      ],
    };
  }
  return {
    path: 'none',
    cause: internet.cause ?? 'ROUTE_MISSING',
    summary: `${capital(internet.detail)}, and VPC ${vpc} has no interface endpoint for ${service}.`,
    nextSteps: [
      internet.fix ?? '',
      `Or create interface endpoints with private DNS for ssm, ec2messages and ssmmessages in VPC ${vpc}, e.g. ${createEndpointCommand(facts, service)}`,
    ].filter(Boolean),
  };
}
