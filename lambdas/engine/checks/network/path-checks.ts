/**
 * `network.path.<service>`: whether each SSM service has a way out of the instance's subnet. Only
 * `ssm` carries registration (the health ping); a missing path to ec2messages or ssmmessages
 * breaks Run Command and Session Manager after registration, so it degrades instead of blocking.
 */
import { type Check, type CheckResult, result } from '../../check.ts';
import { resolveServicePaths } from './paths.ts';
import { blocksRegistration, SSM_SERVICES, type SsmService } from './services.ts';

function servicePathCheck(service: SsmService): Check {
  const id = `network.path.${service}`;
  return {
    id,
    title: `The instance has a network path to the ${service} endpoint (interface endpoint, internet or NAT gateway)`,
    reads: ['network', 'privateDns'],
    evaluate(facts): CheckResult {
      const path = resolveServicePaths(facts).find((candidate) => candidate.service === service);
      if (!path) return result.unknown(id, `No path was resolved for ${service}.`);
      switch (path.path) {
        case 'endpoint':
          if (path.warning)
            return result.warn(id, `${path.summary} But ${path.warning}.`, path.evidence, [
              capitalised(path.warning),
            ]);
          return result.pass(id, path.summary, path.evidence);
        case 'internet': {
          if (path.warning)
            return result.warn(id, `${path.summary} But ${path.warning}.`, path.evidence, [
              capitalised(path.warning),
            ]);
          const detours = path.internet?.detours ?? [];
          if (!detours.length) return result.pass(id, path.summary, path.evidence);
          const routes = detours.map((d) => `${d.destination} → ${d.targetId}`).join(', ');
          return result.warn(
            id,
            `${path.summary} More specific routes to public destinations (${routes}) may take it elsewhere.`,
            path.evidence,
            [
              `Verify that the addresses of ${path.hostname} are not inside ${routes}, or that those targets pass HTTPS to them`,
            ],
          );
        }
        case 'none': {
          const failed = result.fail(
            id,
            path.cause ?? 'ROUTE_MISSING',
            path.summary,
            path.evidence,
            path.nextSteps,
          );
          return blocksRegistration(service) ? failed : result.degrading(failed);
        }
        case 'unknown': {
          const unknown = result.unknown(id, path.summary, path.evidence);
          return path.nextSteps.length > 0 ? { ...unknown, nextSteps: path.nextSteps } : unknown;
        }
      }
    },
  };
}

const capitalised = (text: string) => text.charAt(0).toUpperCase() + text.slice(1);

export const servicePathChecks: Check[] = SSM_SERVICES.map(servicePathCheck);
