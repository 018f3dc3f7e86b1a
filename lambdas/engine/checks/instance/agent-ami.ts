/**
 * `agent.ami`: a NotRegistered instance from an AMI family that does not ship the SSM Agent has
 * probably never had one. ConnectionLost instances registered before, so theirs is installed.
 */
import { type Check, type CheckResult, result } from '../../check.ts';
import { describeProblem } from '../../readout.ts';
import { agentInstallSteps } from './agent-install.ts';
import { agentShipping } from './ami-families.ts';

const ID = 'agent.ami';

export const agentAmiCheck: Check = {
  id: ID,
  title: "The instance's AMI family ships the SSM Agent",
  reads: ['runningInstances', 'images'],
  evaluate(facts): CheckResult {
    const { instance, ssmStatus } = facts.candidate;
    const instanceId = instance.InstanceId ?? 'the instance';
    const imageId = instance.ImageId ?? 'unknown AMI';
    if (ssmStatus === 'ConnectionLost') {
      return result.pass(
        ID,
        `${instanceId} registered with Systems Manager before, so its agent is installed.`,
        { imageId, ssmStatus },
      );
    }
    if (!facts.image.ok)
      return result.unknown(
        ID,
        `AMI ${imageId} of ${instanceId} could not be read: ${describeProblem(facts.image.problem)}.`,
        { imageId },
      );
    const image = facts.image.value;
    if (image === undefined) {
      return result.unknown(
        ID,
        `AMI ${imageId} of ${instanceId} is not visible (private, deregistered or no longer shared): verify the agent is installed.`,
        { imageId, visible: false },
      );
    }

    const verdict = agentShipping(image);
    const evidence = {
      imageId,
      name: image.Name ?? null,
      ownerId: image.OwnerId ?? null,
      ownerAlias: image.ImageOwnerAlias ?? null,
      platformDetails: image.PlatformDetails ?? null,
      family: verdict.family,
    };
    if (verdict.shipping === 'ships')
      return result.pass(ID, `AMI ${imageId} (${verdict.family}) ships the SSM Agent.`, evidence);
    if (verdict.shipping === 'unknown') {
      return result.unknown(
        ID,
        `AMI ${imageId} of ${instanceId} is ${verdict.family}: verify the agent is installed.`,
        evidence,
      );
    }
    return result.fail(
      ID,
      'AGENT_NOT_PREINSTALLED',
      `AMI ${imageId} of ${instanceId} is ${verdict.family}, which does not ship the SSM Agent: the agent may not be installed.`,
      evidence,
      agentInstallSteps(facts, verdict.packaging),
    );
  },
};
