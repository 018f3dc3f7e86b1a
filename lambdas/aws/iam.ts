/**
 * One IAM picture per instance profile and per role, however many instances share them. A role's
 * permissions are asked of IAM itself (`SimulatePrincipalPolicy`, once per role), which weighs
 * identity policies, explicit denies, the permissions boundary and SCPs: an attached
 * AmazonSSMManagedInstanceCore is evidence, not proof (a deny or a boundary can cut it back).
 * The request context carries the keys every agent call has; the keys the simulation still
 * lacked come back as `MissingContextValues` and are reported, not guessed.
 *
 * Many profiles (more than `BULK_THRESHOLD`) are read in bulk: one `ListInstanceProfiles` listing
 * instead of a GetInstanceProfile each, and one `GetAccountAuthorizationDetails` listing instead of
 * a ListAttachedRolePolicies per role. With every document of a role in hand, a role whose
 * documents alone prove the grant (`role-documents.ts`) is not simulated — but only once a
 * simulation in the account has shown no organization layer (no SCP can intervene); in an
 * organization every role is simulated. A listing that is denied or throttled falls back to the
 * per-item reads, whose own failures are what the run reports.
 */
import {
  type ContextEntry,
  type EvaluationResult,
  GetInstanceProfileCommand,
  GetRoleCommand,
  type IAMClient,
  type InstanceProfile,
  paginateListAttachedRolePolicies,
  type Role,
  SimulatePrincipalPolicyCommand,
} from '@aws-sdk/client-iam';
import { REGISTER_ACTION } from '../engine/checks/credentials/grants.ts';
import type {
  IamLayer,
  ProfilePicture,
  RolePicture,
  SimulatedDecisions,
  SimulationDetail,
} from '../engine/facts.ts';
import { type Readout, readFailed, readOk } from '../engine/readout.ts';
import { attempt, DENIED_OR_THROTTLED, isCode, toProblem } from './errors.ts';
import {
  type AccountAuthorization,
  listInstanceProfiles,
  type RoleDocuments,
  readAccountAuthorization,
} from './iam-listing.ts';
import { drain } from './paging.ts';
import { decodePolicyDocument } from './policy-document.ts';
import { documentsAllow } from './role-documents.ts';

export { decodePolicyDocument };

export interface RoleRequirement {
  /** Actions the role must be allowed. */
  actions: readonly string[];
  /**
   * Managed policy names (`grants.ts`) known to grant them all: evidence the engine reports, and
   * what it falls back on (as a warning) when the simulation itself is denied.
   */
  sufficientPolicies: readonly string[];
}

/**
 * Above this many distinct profiles (or roles) in one read, a listing is cheaper than one call
 * each: a page of ListInstanceProfiles holds up to 1,000 profiles, and accounts with many
 * instance roles rarely have more than a few pages of roles.
 */
export const BULK_THRESHOLD = 20;

/** `arn:aws:iam::123:instance-profile/path/name` → `name` (the API takes the name without path). */
export const profileNameOf = (arn: string) => arn.slice(arn.lastIndexOf('/') + 1);
/** A DHMC setting may hold `service-role/Name`: GetRole takes the name alone. */
export const roleNameOf = (value: string) => value.slice(value.lastIndexOf('/') + 1);

/** A role's documents from the bulk listing, with the account's customer-managed policies. */
interface Bulk {
  documents: RoleDocuments;
  account: AccountAuthorization;
}

export class IamReader {
  private readonly roles = new Map<string, Promise<Readout<RolePicture>>>();
  private profileListing?: Promise<Map<string, InstanceProfile> | undefined>;
  private authorization?: Promise<AccountAuthorization | undefined>;
  /**
   * The first simulation made through this reader: true when it succeeded and reported no
   * `OrganizationsDecisionDetail` — IAM includes that only when the account is in an
   * organization, so no SCP can intervene for any role of the account.
   */
  private noOrganization?: Promise<boolean>;

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
    const listing = unique.length > BULK_THRESHOLD ? await this.listedProfiles() : undefined;
    const read = await Promise.all(unique.map((arn) => this.profileOf(profileNameOf(arn), listing)));
    const roleNames = new Set(
      read.flatMap((r) => (r.ok && r.value?.Roles?.[0]?.RoleName ? [r.value.Roles[0].RoleName] : [])),
    );
    const account = roleNames.size > BULK_THRESHOLD ? await this.accountAuthorization() : undefined;
    const pictures = await Promise.all(
      unique.map(async (arn, i): Promise<Readout<ProfilePicture>> => {
        const profile = read[i] as Readout<InstanceProfile | null>;
        const name = profileNameOf(arn);
        if (!profile.ok) return profile;
        if (!profile.value) return readOk({ arn, name, exists: false, role: null });
        const role = profile.value.Roles?.[0];
        const documents = role?.RoleName ? account?.roles.get(role.RoleName) : undefined;
        const bulk = account && documents ? { documents, account } : undefined;
        return readOk({
          arn,
          name,
          exists: true,
          role: role ? await this.roleFrom(role, instanceArnOf(arn), bulk) : null,
        });
      }),
    );
    return new Map(unique.map((arn, i) => [arn, pictures[i] as Readout<ProfilePicture>]));
  }

  /** From the listing when there is one; a profile it lacks (or every profile without one) is asked for. */
  private async profileOf(
    name: string,
    listing: Map<string, InstanceProfile> | undefined,
  ): Promise<Readout<InstanceProfile | null>> {
    const listed = listing?.get(name);
    if (listed) return readOk(listed);
    try {
      const { InstanceProfile } = await this.iam.send(
        new GetInstanceProfileCommand({ InstanceProfileName: name }),
      );
      return readOk(InstanceProfile ?? null);
    } catch (error) {
      if (isCode(error, 'NoSuchEntity')) return readOk(null);
      return readFailed(toProblem('GetInstanceProfile', error, DENIED_OR_THROTTLED));
    }
  }

  /** Once per reader; `undefined` when the listing cannot be read (then profiles are read one by one). */
  private listedProfiles(): Promise<Map<string, InstanceProfile> | undefined> {
    this.profileListing ??= listInstanceProfiles(this.iam).then((r) => (r.ok ? r.value : undefined));
    return this.profileListing;
  }

  /** Once per reader; `undefined` when it cannot be read (then each role's policies are listed). */
  private accountAuthorization(): Promise<AccountAuthorization | undefined> {
    this.authorization ??= readAccountAuthorization(this.iam).then((r) => (r.ok ? r.value : undefined));
    return this.authorization;
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

  private roleFrom(role: Role, instanceArn: string | undefined, bulk?: Bulk): Promise<Readout<RolePicture>> {
    const key = role.RoleName ?? role.Arn ?? '';
    let picture = this.roles.get(key);
    if (!picture) {
      picture = this.picture(role, this.requirement, instanceArn, bulk);
      this.roles.set(key, picture);
    }
    return picture;
  }

  private async picture(
    role: Role,
    requirement: RoleRequirement,
    instanceArn?: string,
    bulk?: Bulk,
  ): Promise<Readout<RolePicture>> {
    const attached = bulk ? readOk(bulk.documents.attachedPolicyArns) : await this.attachedPolicies(role);
    if (!attached.ok) return attached;
    const picture: RolePicture = {
      name: role.RoleName ?? '',
      arn: role.Arn ?? '',
      trustPolicy: decodePolicyDocument(role.AssumeRolePolicyDocument),
      attachedPolicyArns: attached.value,
    };
    // Read synchronously: the first role to get here must start the probe before any other asks.
    const probe = this.noOrganization;
    if (bulk && probe && documentsAllow(bulk.documents, bulk.account, requirement) && (await probe)) {
      // Every document is read and proves the grant, and no SCP applies: what a simulation would
      // answer is known (every action allowed, nothing missing), so `simulated` stays absent and
      // the attached sufficient policy is the evidence — the verdict a simulation would give.
      return readOk(picture);
    }
    const simulation = this.simulateFor(picture.arn, requirement.actions, instanceArn);
    this.noOrganization ??= simulation.then((s) => s.ok && !s.value.organizations);
    const simulated = await simulation;
    picture.simulated = simulated.ok ? readOk(simulated.value.decisions) : simulated;
    if (simulated.ok && Object.keys(simulated.value.details).length > 0)
      picture.simulationDetails = simulated.value.details;
    return readOk(picture);
  }

  private async attachedPolicies(role: Role): Promise<Readout<string[]>> {
    const attached = await attempt(
      'ListAttachedRolePolicies',
      () =>
        drain(
          paginateListAttachedRolePolicies(
            { client: this.iam, pageSize: 100 },
            { RoleName: role.RoleName ?? '' },
          ),
          (p) => p.AttachedPolicies,
        ),
      // A role deleted since its profile was read is gone: say so rather than guess.
      [...DENIED_OR_THROTTLED, 'NoSuchEntity'],
    );
    return attached.ok ? readOk(attached.value.map((p) => p.PolicyArn ?? '').filter(Boolean)) : attached;
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
      organizations: first.value.organizations || onInstance.value.organizations,
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
        const organizations = EvaluationResults.some((r) => r.OrganizationsDecisionDetail !== undefined);
        for (const result of EvaluationResults) {
          if (!result.EvalActionName) continue;
          decisions[result.EvalActionName] = result.EvalDecision ?? 'implicitDeny';
          const detail = detailOf(result);
          if (detail) details[result.EvalActionName] = detail;
        }
        return { decisions, details, organizations };
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
  /** Whether IAM weighed an organization layer (SCPs) for this role. */
  organizations: boolean;
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
