/**
 * One IAM picture per instance profile and per role, however many instances share them. A role's
 * permissions are always asked of IAM itself (`SimulatePrincipalPolicy`, once per role), which
 * weighs identity policies, explicit denies, the permissions boundary and SCPs: an attached
 * AmazonSSMManagedInstanceCore is evidence, not proof (a deny or a boundary can cut it back).
 * The request context carries the keys every agent call has; the keys the simulation still
 * lacked come back as `MissingContextValues` and are reported, not guessed.
 */
import {
  type ContextEntry,
  type EvaluationResult,
  GetInstanceProfileCommand,
  GetRoleCommand,
  type IAMClient,
  paginateListAttachedRolePolicies,
  type Role,
  SimulatePrincipalPolicyCommand,
} from '@aws-sdk/client-iam';
import { REGISTER_ACTION } from '../engine/checks/credentials/grants.ts';
import type {
  IamLayer,
  PolicyDocument,
  ProfilePicture,
  RolePicture,
  SimulatedDecisions,
  SimulationDetail,
} from '../engine/facts.ts';
import { type Readout, readFailed, readOk } from '../engine/readout.ts';
import { attempt, DENIED_OR_THROTTLED, isCode, toProblem } from './errors.ts';
import { drain } from './paging.ts';

export interface RoleRequirement {
  /** Actions the role must be allowed. */
  actions: readonly string[];
  /**
   * Managed policy names (`grants.ts`) known to grant them all: evidence the engine reports, and
   * what it falls back on (as a warning) when the simulation itself is denied.
   */
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
    const picture: RolePicture = {
      name,
      arn: role.Arn ?? '',
      trustPolicy: decodePolicyDocument(role.AssumeRolePolicyDocument),
      attachedPolicyArns,
    };
    const simulation = await this.simulateFor(picture.arn, requirement.actions, instanceArn);
    picture.simulated = simulation.ok ? readOk(simulation.value.decisions) : simulation;
    if (simulation.ok && Object.keys(simulation.value.details).length > 0)
      picture.simulationDetails = simulation.value.details;
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
  ): Promise<Readout<Simulation>> {
    const context = await this.contextFor(roleArn, instanceArn);
    const first = await this.simulate(roleArn, actions, context);
    if (!first.ok || !instanceArn || first.value.decisions[REGISTER_ACTION] !== 'implicitDeny') return first;
    const onInstance = await this.simulate(roleArn, [REGISTER_ACTION], context, [instanceArn]);
    if (!onInstance.ok) return first;
    return readOk({
      decisions: { ...first.value.decisions, ...onInstance.value.decisions },
      details: { ...first.value.details, ...onInstance.value.details },
    });
  }

  /**
   * The keys every call of the agent carries: HTTPS, the region, the role session's principal and,
   * for a role session from an instance profile, the instance (`ec2:SourceInstanceARN`; one
   * instance stands for every user of the role, so calls stay per role). Keys that depend on the
   * path (`aws:SourceVpc`, `aws:SourceVpce`) or the session are not known per role: the simulation
   * reports them as missing and the check names them.
   */
  private async contextFor(roleArn: string, instanceArn: string | undefined): Promise<ContextEntry[]> {
    const region = await this.iam.config.region();
    const account = roleArn.split(':')[4] ?? '';
    const entry = (key: string, value: string, type: 'string' | 'boolean' = 'string'): ContextEntry => ({
      ContextKeyName: key,
      ContextKeyValues: [value],
      ContextKeyType: type,
    });
    return [
      entry('aws:SecureTransport', 'true', 'boolean'),
      entry('aws:RequestedRegion', region),
      entry('aws:PrincipalArn', roleArn),
      entry('aws:PrincipalAccount', account),
      entry('aws:PrincipalType', 'AssumedRole'),
      ...(instanceArn ? [entry('ec2:SourceInstanceARN', instanceArn)] : []),
    ];
  }

  private simulate(
    roleArn: string,
    actions: readonly string[],
    context: ContextEntry[],
    resourceArns?: string[],
  ): Promise<Readout<Simulation>> {
    return attempt(
      'SimulatePrincipalPolicy',
      async () => {
        const { EvaluationResults = [] } = await this.iam.send(
          new SimulatePrincipalPolicyCommand({
            PolicySourceArn: roleArn,
            ActionNames: [...actions],
            ContextEntries: context,
            ...(resourceArns ? { ResourceArns: resourceArns } : {}),
          }),
        );
        const decisions: SimulatedDecisions = {};
        const details: Record<string, SimulationDetail> = {};
        for (const result of EvaluationResults) {
          if (!result.EvalActionName) continue;
          decisions[result.EvalActionName] = result.EvalDecision ?? 'implicitDeny';
          const detail = detailOf(result);
          if (detail) details[result.EvalActionName] = detail;
        }
        return { decisions, details };
      },
      // Denied, throttled past retries, the role gone since GetRole, or PolicyEvaluation/InvalidInput:
      // IAM cannot simulate this role's policies (a broken document): unknown for this role, not an outage.
      [...DENIED_OR_THROTTLED, 'NoSuchEntity', 'PolicyEvaluation', 'InvalidInput'],
    );
  }
}

interface Simulation {
  decisions: SimulatedDecisions;
  details: Record<string, SimulationDetail>;
}

/** What one evaluation result says beyond its decision: missing keys, and which layer said no. */
function detailOf(result: EvaluationResult): SimulationDetail | undefined {
  const missing = result.MissingContextValues ?? [];
  const deniedBy: IamLayer[] = [];
  if (result.EvalDecision !== 'allowed') {
    if (result.OrganizationsDecisionDetail?.AllowedByOrganizations === false)
      deniedBy.push('service control policy');
    if (result.PermissionsBoundaryDecisionDetail?.AllowedByPermissionsBoundary === false)
      deniedBy.push('permissions boundary');
    // Neither the organization nor the boundary said no: an explicit deny in, or no allow from, the
    // identity policies.
    if (deniedBy.length === 0) deniedBy.push('identity policy');
  }
  if (missing.length === 0 && deniedBy.length === 0) return undefined;
  return {
    ...(missing.length > 0 ? { missingContextValues: missing } : {}),
    ...(deniedBy.length > 0 ? { deniedBy } : {}),
  };
}
