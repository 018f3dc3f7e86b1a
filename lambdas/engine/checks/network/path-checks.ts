/** `network.path.<service>`: whether each SSM service has a way out of the instance's subnet. */
import { type Check, type CheckResult, result } from '../../check.ts';
import { resolveServicePaths } from './paths.ts';
import { SSM_SERVICES, type SsmService } from './services.ts';

function servicePathCheck(service: SsmService): Check {
  const id = `network.path.${service}`;
  return {
    id,
    title: `The instance has a network path to the ${service} endpoint (interface endpoint, internet or NAT gateway)`,
    reads: ['network'],
    evaluate(facts): CheckResult {
      const path = resolveServicePaths(facts).find((candidate) => candidate.service === service);
      if (!path) return result.unknown(id, `No path was resolved for ${service}.`);
      switch (path.path) {
        case 'endpoint':
        case 'internet':
          return result.pass(id, path.summary, path.evidence);
        case 'none':
          return result.fail(id, path.cause ?? 'ROUTE_MISSING', path.summary, path.evidence, path.nextSteps);
        case 'unknown': {
          const unknown = result.unknown(id, path.summary, path.evidence);
          return path.nextSteps.length > 0 ? { ...unknown, nextSteps: path.nextSteps } : unknown;
        }
      }
    },
  };
}

export const servicePathChecks: Check[] = SSM_SERVICES.map(servicePathCheck);
