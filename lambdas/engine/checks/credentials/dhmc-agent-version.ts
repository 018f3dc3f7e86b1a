/**
 * `dhmc.agent-version`: DHMC only works with agent 3.2.582.0 or later. The version is known only
 * for ConnectionLost instances (from their last registration); NotRegistered ones never sent one.
 */
import { type Check, type CheckResult, result } from '../../check.ts';
import type { InstanceFacts } from '../../facts.ts';
import { agentInstallSteps } from '../instance/agent-install.ts';
import { agentShipping } from '../instance/ami-families.ts';
import { DHMC_MIN_AGENT_VERSION } from './agent-version.ts';
import { associateProfile } from './next-steps.ts';
import { resolveCredentials } from './resolve.ts';

const ID = 'dhmc.agent-version';

function updateSteps(facts: InstanceFacts): string[] {
  const image = facts.image.ok ? facts.image.value : undefined;
  const packaging = image ? agentShipping(image).packaging : undefined;
  return [
    ...agentInstallSteps(facts, packaging, true),
    `Or give the instance a profile, which any agent version can use: ${associateProfile(facts)}`,
  ];
}

export const dhmcAgentVersionCheck: Check = {
  id: ID,
  title: `The agent is ${DHMC_MIN_AGENT_VERSION} or later when the instance relies on DHMC`,
  reads: ['runningInstances', 'instanceProfile', 'dhmc', 'images'],
  evaluate(facts): CheckResult {
    const { dhmc, reliesOnDhmc } = resolveCredentials(facts);
    const instanceId = facts.candidate.instance.InstanceId ?? 'the instance';
    const version = dhmc.agentVersion;
    const evidence = {
      agentVersion: version ?? 'unknown',
      minimum: DHMC_MIN_AGENT_VERSION,
      dhmcSetting: dhmc.settingValue ?? null,
    };

    if (reliesOnDhmc === 'no')
      return result.skip(
        ID,
        `${instanceId} gets its credentials from its instance profile, so DHMC is not needed.`,
        evidence,
      );
    if (reliesOnDhmc === 'yes' && dhmc.state === 'off') {
      return result.skip(
        ID,
        `${instanceId} needs DHMC but it is off ($None); the iam.* checks name the cause.`,
        evidence,
      );
    }
    if (dhmc.agent === 'unknown') {
      const why = version
        ? `is not a version number (${version})`
        : 'is unknown (the instance never registered)';
      return result.skip(
        ID,
        `The agent version of ${instanceId} ${why}; DHMC needs ${DHMC_MIN_AGENT_VERSION} or later.`,
        evidence,
      );
    }
    if (reliesOnDhmc === 'unknown') {
      return dhmc.agent === 'ok'
        ? result.pass(
            ID,
            `Agent ${version} on ${instanceId} is new enough for DHMC, which would cover it if its profile cannot.`,
            evidence,
          )
        : result.unknown(
            ID,
            `Agent ${version} on ${instanceId} is too old for DHMC, which matters only if its instance profile (not assessable) fails.`,
            evidence,
          );
    }
    if (dhmc.agent === 'too-old') {
      const summary = `${instanceId} relies on DHMC but its agent ${version} is older than ${DHMC_MIN_AGENT_VERSION}.`;
      return result.fail(ID, 'DHMC_AGENT_TOO_OLD', summary, evidence, updateSteps(facts));
    }
    return result.pass(
      ID,
      `${instanceId} relies on DHMC and its agent ${version} is ${DHMC_MIN_AGENT_VERSION} or later.`,
      evidence,
    );
  },
};
