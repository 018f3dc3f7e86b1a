/**
 * The synthesized stack "deployed" into a simulated account: what each Task state runs (the stage
 * its function names in `SSM_DOCTOR_STAGE`), under which role (the statements the template
 * attaches to that function's role, rendered), with which environment (the function's
 * `Environment.Variables`, rendered), and the instance profile the stack creates. Everything is
 * read from the template, not from the code that built it: a statement missing there is missing
 * here too.
 */
import type { StateMachineDefinition } from 'aws-local-stepfunctions';
import type { PolicyDocument } from '../../../lambdas/sim/policy-document.ts';
import { STAGE_ENV, STAGE_NAMES, type StageName } from '../../../lambdas/workflow/manifest.ts';
import {
  type AslDefinition,
  type AslState,
  renderDefinition,
  resolveIntrinsics,
} from './render-definition.ts';
import { synthStack, type TemplateJson } from './synth.ts';

export interface DeployedStage {
  stage: StageName;
  state: string;
  functionId: string;
  roleName: string;
  /** The role's identity policies as the template has them, rendered to plain strings. */
  policies: PolicyDocument[];
  env: Record<string, string>;
}

export interface LocalDeployment {
  definition: StateMachineDefinition;
  /** By Task state name. */
  stages: Record<string, DeployedStage>;
  /** The instance profile the stack creates for `attach-instance-profile`. */
  instanceProfile: { name: string; roleName: string; managedPolicyArns: string[] };
  tableName: string;
  topicArn: string;
  /** The stack's state machine, as deployed (executions are `…:execution:<its name>:<run id>`). */
  stateMachineArn: string;
}

export interface Placement {
  accountId: string;
  region: string;
  tableName: string;
}

/** The stack's template, synthesized without bundling (a few seconds; do it once). */
export function synthesizedTemplate(): TemplateJson {
  const synthesized = synthStack();
  try {
    return synthesized.json;
  } finally {
    synthesized.cleanup();
  }
}

type Resources = TemplateJson['Resources'];

/** The report bucket's name in a local run (CloudFormation would generate one; this one is stable). */
export const localBucketName = (accountId: string, region: string) =>
  `ssm-doctor-reports-${accountId}-${region}`;

/** Names and ARNs of the template's resources once deployed in `placement` (physical ids as CloudFormation would pick them). */
function namer(resources: Resources, placement: Placement) {
  const { accountId, region } = placement;
  const partition = region.startsWith('cn-') ? 'aws-cn' : 'aws';
  const pseudo = { accountId, region };
  const literal = (value: unknown, fallback: string): string =>
    value === undefined
      ? fallback
      : String(resolveIntrinsics(value, { ...pseudo, getAtt: () => fallback, ref: () => fallback }));
  const name = (id: string): string => {
    const r = resources[id];
    const p = r?.Properties ?? {};
    switch (r?.Type) {
      case 'AWS::DynamoDB::Table':
        return placement.tableName;
      case 'AWS::IAM::Role':
        return literal(p.RoleName, id);
      case 'AWS::IAM::InstanceProfile':
        return literal(p.InstanceProfileName, id);
      case 'AWS::SNS::Topic':
        return literal(p.TopicName, 'ssm-doctor-notifications');
      case 'AWS::S3::Bucket':
        return literal(p.BucketName, localBucketName(accountId, region));
      case 'AWS::StepFunctions::StateMachine':
        return literal(p.StateMachineName, id);
      default:
        return id;
    }
  };
  const arn = (id: string): string => {
    const type = resources[id]?.Type;
    const n = name(id);
    switch (type) {
      case 'AWS::DynamoDB::Table':
        return `arn:${partition}:dynamodb:${region}:${accountId}:table/${n}`;
      case 'AWS::IAM::Role':
        return `arn:${partition}:iam::${accountId}:role/${n}`;
      case 'AWS::IAM::InstanceProfile':
        return `arn:${partition}:iam::${accountId}:instance-profile/${n}`;
      case 'AWS::SNS::Topic':
        return `arn:${partition}:sns:${region}:${accountId}:${n}`;
      case 'AWS::Lambda::Function':
        return `arn:${partition}:lambda:${region}:${accountId}:function:${id}`;
      case 'AWS::S3::Bucket':
        return `arn:${partition}:s3:::${n}`;
      case 'AWS::KMS::Key':
        return `arn:${partition}:kms:${region}:${accountId}:key/${id}`;
      case 'AWS::StepFunctions::StateMachine':
        return `arn:${partition}:states:${region}:${accountId}:stateMachine:${n}`;
      default:
        return `arn:${partition}:cloudformation:${region}:${accountId}:resource/${id}`;
    }
  };
  // Ref of a topic or state machine is its ARN; of everything else here, its name.
  const ref = (id: string) =>
    ['AWS::SNS::Topic', 'AWS::StepFunctions::StateMachine'].includes(resources[id]?.Type ?? '')
      ? arn(id)
      : name(id);
  return {
    render: (value: unknown) =>
      resolveIntrinsics(value, {
        ...pseudo,
        ref,
        getAtt: (id, attribute) => (attribute === 'Arn' ? arn(id) : name(id)),
      }),
    name,
    arn,
  };
}

function roleStatements(
  resources: Resources,
  roleId: string,
  render: (v: unknown) => unknown,
): PolicyDocument[] {
  const documents: unknown[] = [];
  for (const resource of Object.values(resources)) {
    const roles = (resource.Properties?.Roles ?? []) as { Ref?: string }[];
    if (resource.Type === 'AWS::IAM::Policy' && roles.some((r) => r.Ref === roleId)) {
      documents.push(resource.Properties.PolicyDocument);
    }
  }
  for (const inline of (resources[roleId]?.Properties?.Policies ?? []) as { PolicyDocument: unknown }[]) {
    documents.push(inline.PolicyDocument);
  }
  return documents.map((d) => render(d) as PolicyDocument);
}

function* taskStates(definition: AslDefinition): Generator<[string, AslState]> {
  for (const [name, state] of Object.entries(definition.States)) {
    if (state.Type === 'Task') yield [name, state];
    const inner = state.ItemProcessor ?? state.Iterator;
    if (inner) yield* taskStates(inner);
  }
}

/** The template as it would run in `placement`. */
export function deployTemplate(template: TemplateJson, placement: Placement): LocalDeployment {
  const resources = template.Resources;
  const names = namer(resources, placement);
  const definition = renderDefinition(template, {
    ...placement,
    getAtt: (id) => names.arn(id),
    ref: (id) => names.name(id),
  });
  const stages: Record<string, DeployedStage> = {};
  for (const [state, task] of taskStates(definition)) {
    const functionId = String(task.Resource ?? '').split(':function:')[1] ?? '';
    const fn = resources[functionId];
    if (fn?.Type !== 'AWS::Lambda::Function')
      throw new Error(`Task state ${state} runs no Lambda function of the template.`);
    const env = names.render(fn.Properties.Environment?.Variables ?? {}) as Record<string, string>;
    const stage = env[STAGE_ENV] as StageName;
    if (!STAGE_NAMES.includes(stage))
      throw new Error(`Function ${functionId} names no stage in ${STAGE_ENV}.`);
    const roleId = (fn.Properties.Role as { 'Fn::GetAtt': [string, string] })['Fn::GetAtt'][0];
    stages[state] = {
      stage,
      state,
      functionId,
      roleName: names.name(roleId),
      policies: roleStatements(resources, roleId, names.render),
      env,
    };
  }
  const [profileId, profile] =
    Object.entries(resources).find(([, r]) => r.Type === 'AWS::IAM::InstanceProfile') ?? [];
  if (!profileId || !profile) throw new Error('The template creates no instance profile.');
  const profileRoleId = (profile.Properties.Roles as { Ref: string }[])[0]?.Ref ?? '';
  const topicId = Object.keys(resources).find((id) => resources[id]?.Type === 'AWS::SNS::Topic') ?? '';
  const machineId =
    Object.keys(resources).find((id) => resources[id]?.Type === 'AWS::StepFunctions::StateMachine') ?? '';
  return {
    definition: definition as unknown as StateMachineDefinition,
    stages,
    instanceProfile: {
      name: names.name(profileId),
      roleName: names.name(profileRoleId),
      managedPolicyArns: names.render(
        resources[profileRoleId]?.Properties?.ManagedPolicyArns ?? [],
      ) as string[],
    },
    tableName: placement.tableName,
    topicArn: names.arn(topicId),
    stateMachineArn: names.arn(machineId),
  };
}
