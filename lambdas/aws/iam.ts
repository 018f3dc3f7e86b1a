/**
 * One IAM picture per instance profile and per role, however many instances share them. A role's
 * permissions are settled by its attached managed policies when a known-sufficient one is there;
 * otherwise one `SimulatePrincipalPolicy` call asks IAM itself, which weighs inline and
 * customer-managed policies, explicit denies and permission boundaries for us.
 */
import {
  GetInstanceProfileCommand,
  GetRoleCommand,
  type IAMClient,
  paginateListAttachedRolePolicies,
  type Role,
  SimulatePrincipalPolicyCommand,
} from '@aws-sdk/client-iam';
import { REGISTER_ACTION } from '../engine/checks/credentials/grants.ts';
import type { PolicyDocument, ProfilePicture, RolePicture, SimulatedDecisions } from '../engine/facts.ts';
import { type Readout, readFailed, readOk } from '../engine/readout.ts';
import { attempt, DENIED_OR_THROTTLED, isCode, toProblem } from './errors.ts';
import { drain } from './paging.ts';

export interface RoleRequirement {
  /** Actions the role must be allowed. */
  actions: readonly string[];
  /** Managed policy names (`grants.ts`) known to grant them all, so no simulation is needed. */
  sufficientPolicies: readonly string[];
}

/** IAM returns policy documents URL-encoded; world files and some tools give plain JSON. */
export function decodePolicyDocument(document: unknown): PolicyDocument {
  if (typeof document === 'string') {
    const text = document.trim().startsWith('{') ? document : decodeURIComponent(document);
    return JSON.parse(text) as PolicyDocument;
  }
  return (document ?? { Statement: [] }) as PolicyDocument;
}

/** `arn:aws:iam::123:instance-profile/path/name` → `name` (the API takes the name without path). */
export const profileNameOf = (arn: string) => arn.slice(arn.lastIndexOf('/') + 1);
/** A DHMC setting may hold `service-role/Name`: GetRole takes the name alone. */
export const roleNameOf = (value: string) => value.slice(value.lastIndexOf('/') + 1);

export class IamReader {
  private readonly roles = new Map<string, Promise<Readout<RolePicture>>>();

  constructor(
    private readonly iam: IAMClient,
    private readonly requirement: RoleRequirement,
  ) {}

  /**
   * `instanceArnOf` names one instance that uses each profile: registration is authorised
   * against the instance, so a role that scopes `ssm:UpdateInstanceInformation` to instances is
   * asked about an instance, not about `*`.
   */
  async profiles(
    arns: readonly string[],
    instanceArnOf: (profileArn: string) => string | undefined = () => undefined,
  ): Promise<Map<string, Readout<ProfilePicture>>> {
    const unique = [...new Set(arns)];
    const pictures = await Promise.all(unique.map((arn) => this.profile(arn, instanceArnOf(arn))));
    return new Map(unique.map((arn, i) => [arn, pictures[i] as Readout<ProfilePicture>]));
  }

  private async profile(arn: string, instanceArn: string | undefined): Promise<Readout<ProfilePicture>> {
    const name = profileNameOf(arn);
    try {
      const { InstanceProfile } = await this.iam.send(
        new GetInstanceProfileCommand({ InstanceProfileName: name }),
      );
      const role = InstanceProfile?.Roles?.[0];
      return readOk({ arn, name, exists: true, role: role ? await this.roleFrom(role, instanceArn) : null });
    } catch (error) {
      if (isCode(error, 'NoSuchEntity')) return readOk({ arn, name, exists: false, role: null });
      return readFailed(toProblem('GetInstanceProfile', error, DENIED_OR_THROTTLED));
    }
  }

  /** A role by name; `null` when IAM has no such role. */
  async roleByName(name: string, requirement = this.requirement): Promise<Readout<RolePicture | null>> {
    try {
      const { Role: role } = await this.iam.send(new GetRoleCommand({ RoleName: name }));
      if (!role) return readOk(null);
      return await this.picture(role, requirement);
    } catch (error) {
      if (isCode(error, 'NoSuchEntity')) return readOk(null);
      return readFailed(toProblem('GetRole', error, DENIED_OR_THROTTLED));
    }
  }

  private roleFrom(role: Role, instanceArn: string | undefined): Promise<Readout<RolePicture>> {
    const key = role.RoleName ?? role.Arn ?? '';
    let picture = this.roles.get(key);
    if (!picture) {
      picture = this.picture(role, this.requirement, instanceArn);
      this.roles.set(key, picture);
    }
    return picture;
  }

  private async picture(
    role: Role,
    requirement: RoleRequirement,
    instanceArn?: string,
  ): Promise<Readout<RolePicture>> {
    const name = role.RoleName ?? '';
    const attached = await attempt(
      'ListAttachedRolePolicies',
      () =>
        drain(
          paginateListAttachedRolePolicies({ client: this.iam, pageSize: 100 }, { RoleName: name }),
          (p) => p.AttachedPolicies,
        ),
      // A role deleted since its profile was read is gone: say so rather than guess.
      [...DENIED_OR_THROTTLED, 'NoSuchEntity'],
    );
    if (!attached.ok) return attached;
    const attachedPolicyArns = attached.value.map((p) => p.PolicyArn ?? '').filter(Boolean);
    // Match the name alone: AmazonEC2RoleforSSM lives under the service-role/ path.
    const sufficient = attachedPolicyArns.some(
      (arn) =>
        arn.includes(':iam::aws:policy/') &&
        requirement.sufficientPolicies.some(
          (p) => p.split('/').pop() === arn.slice(arn.lastIndexOf('/') + 1),
        ),
    );
    const picture: RolePicture = {
      name,
      arn: role.Arn ?? '',
      trustPolicy: decodePolicyDocument(role.AssumeRolePolicyDocument),
      attachedPolicyArns,
    };
    if (!sufficient)
      picture.simulated = await this.simulateFor(picture.arn, requirement.actions, instanceArn);
    return readOk(picture);
  }

  /**
   * One simulation against `*` (the channel actions have no resource); only when registration is
   * then denied and an instance is known, a second one asks again with that instance's ARN.
   */
  private async simulateFor(
    roleArn: string,
    actions: readonly string[],
    instanceArn: string | undefined,
  ): Promise<Readout<SimulatedDecisions>> {
    const decisions = await this.simulate(roleArn, actions);
    if (!decisions.ok || !instanceArn || decisions.value[REGISTER_ACTION] !== 'implicitDeny')
      return decisions;
    const onInstance = await this.simulate(roleArn, [REGISTER_ACTION], [instanceArn]);
    if (!onInstance.ok) return decisions;
    return readOk({ ...decisions.value, ...onInstance.value });
  }

  private simulate(
    roleArn: string,
    actions: readonly string[],
    resourceArns?: string[],
  ): Promise<Readout<SimulatedDecisions>> {
    return attempt(
      'SimulatePrincipalPolicy',
      async () => {
        const { EvaluationResults = [] } = await this.iam.send(
          new SimulatePrincipalPolicyCommand({
            PolicySourceArn: roleArn,
            ActionNames: [...actions],
            ...(resourceArns ? { ResourceArns: resourceArns } : {}),
          }),
        );
        const decisions: SimulatedDecisions = {};
        for (const result of EvaluationResults) {
          if (result.EvalActionName) decisions[result.EvalActionName] = result.EvalDecision ?? 'implicitDeny';
        }
        return decisions;
      },
      // PolicyEvaluation/InvalidInput: IAM cannot simulate this role's policies (a broken document,
      // an unusual principal): unknown for this role, not an outage.
      [...DENIED_OR_THROTTLED, 'NoSuchEntity', 'PolicyEvaluation', 'InvalidInput'],
    );
  }
}
