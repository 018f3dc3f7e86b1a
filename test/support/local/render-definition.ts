/**
 * Turns the synthesized state machine's `DefinitionString` (an `Fn::Join` of text, `Fn::GetAtt`
 * and `Ref`) into the concrete ASL JSON Step Functions would see, with placeholder ARNs. Used to
 * validate the definition and to run it locally (aws-local-stepfunctions) without deploying.
 */

export interface AslState {
  Type: string;
  Next?: string;
  End?: boolean;
  Default?: string;
  Choices?: { Next: string; [key: string]: unknown }[];
  Catch?: { ErrorEquals: string[]; Next: string; ResultPath?: string | null }[];
  Retry?: { ErrorEquals: string[]; [key: string]: unknown }[];
  ItemProcessor?: AslDefinition;
  Iterator?: AslDefinition;
  [key: string]: unknown;
}

export interface AslDefinition {
  StartAt: string;
  States: Record<string, AslState>;
  [key: string]: unknown;
}

export interface RenderOptions {
  /** Value for `Fn::GetAtt [logicalId, attribute]`; default: a placeholder Lambda function ARN. */
  getAtt?: (logicalId: string, attribute: string) => string;
  /** Value for `Ref` of a resource or parameter; default: throw (definitions only reference pseudo parameters). */
  ref?: (logicalId: string) => string;
  region?: string;
  accountId?: string;
}

interface Template {
  Resources?: Record<string, { Type: string; Properties?: Record<string, unknown> }>;
}

/** The one state machine's definition, rendered. Throws if the template has none or several. */
export function renderDefinition(template: Template, options: RenderOptions = {}): AslDefinition {
  const machines = Object.values(template.Resources ?? {}).filter(
    (r) => r.Type === 'AWS::StepFunctions::StateMachine',
  );
  if (machines.length !== 1) throw new Error(`Expected one state machine, found ${machines.length}.`);
  return JSON.parse(renderIntrinsic(machines[0]?.Properties?.DefinitionString, options)) as AslDefinition;
}

export function renderIntrinsic(value: unknown, options: RenderOptions = {}): string {
  const region = options.region ?? 'eu-west-1';
  const accountId = options.accountId ?? '123456789012';
  const pseudo: Record<string, string> = {
    'AWS::Partition': 'aws',
    'AWS::Region': region,
    'AWS::AccountId': accountId,
    'AWS::URLSuffix': 'amazonaws.com',
  };
  const getAtt =
    options.getAtt ?? ((logicalId: string) => `arn:aws:lambda:${region}:${accountId}:function:${logicalId}`);
  const render = (v: unknown): string => {
    if (typeof v === 'string') return v;
    if (v && typeof v === 'object') {
      const o = v as Record<string, unknown>;
      if (Array.isArray(o['Fn::Join'])) {
        const [separator, parts] = o['Fn::Join'] as [string, unknown[]];
        return parts.map(render).join(separator);
      }
      if (Array.isArray(o['Fn::GetAtt'])) {
        const [logicalId, attribute] = o['Fn::GetAtt'] as [string, string];
        return getAtt(logicalId, attribute);
      }
      if (typeof o.Ref === 'string') {
        const ref = pseudo[o.Ref] ?? options.ref?.(o.Ref);
        if (ref === undefined) throw new Error(`Cannot render Ref ${o.Ref}.`);
        return ref;
      }
    }
    throw new Error(`Cannot render ${JSON.stringify(v)} in a definition.`);
  };
  return render(value);
}

/** Replaces every intrinsic (`Fn::Join`, `Fn::GetAtt`, `Ref`) inside any template value with its rendering. */
export function resolveIntrinsics(value: unknown, options: RenderOptions = {}): unknown {
  if (Array.isArray(value)) return value.map((v) => resolveIntrinsics(v, options));
  if (value && typeof value === 'object') {
    if ('Fn::Join' in value || 'Fn::GetAtt' in value || 'Ref' in value)
      return renderIntrinsic(value, options);
    return Object.fromEntries(Object.entries(value).map(([k, v]) => [k, resolveIntrinsics(v, options)]));
  }
  return value;
}
