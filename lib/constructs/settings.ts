/**
 * Run settings in SSM Parameter Store, one String parameter per setting under one prefix, seeded
 * from the stack parameters. Every run reads the prefix (GetParametersByPath), so
 * `aws ssm put-parameter --overwrite` changes behaviour without a deploy. CloudFormation only
 * rewrites a value when its stack parameter changes, so an operator's override survives updates
 * that leave that parameter alone.
 */
import { Stack } from 'aws-cdk-lib';
import * as iam from 'aws-cdk-lib/aws-iam';
import * as ssm from 'aws-cdk-lib/aws-ssm';
import { Construct } from 'constructs';
import { SETTING_SPECS } from '../../lambdas/engine/settings.ts';
import type { SettingKey, SettingParameters } from '../parameters.ts';

/** The handlers read `SETTINGS_PREFIX` from env; parameter names are this plus the spec's name. */
export const SETTINGS_PREFIX = '/ssm-doctor/';

export interface SettingsProps {
  parameters: SettingParameters;
}

export class RunSettings extends Construct {
  readonly prefix = SETTINGS_PREFIX;
  readonly parameters: Record<SettingKey, ssm.StringParameter>;

  constructor(scope: Construct, id: string, props: SettingsProps) {
    super(scope, id);
    const entries = (Object.keys(SETTING_SPECS) as SettingKey[]).map((key) => {
      const spec = SETTING_SPECS[key];
      const parameter = new ssm.StringParameter(this, spec.parameter, {
        parameterName: `${SETTINGS_PREFIX}${spec.parameter}`,
        stringValue: props.parameters[key].valueAsString,
        description: `ssm-doctor run setting; accepted: ${spec.accepted}. Read at the start of every run.`,
        tier: ssm.ParameterTier.STANDARD,
      });
      return [key, parameter] as const;
    });
    this.parameters = Object.fromEntries(entries) as Record<SettingKey, ssm.StringParameter>;
  }

  /**
   * `ReadRunSettings`: GetParametersByPath on the prefix. The path itself is the resource IAM
   * evaluates; `/*` covers the trailing-slash form and the parameters below it (IAM5, acknowledged
   * by the caller's policy owner).
   */
  readStatement(): iam.PolicyStatement {
    const path = SETTINGS_PREFIX.replace(/\/$/, '');
    const arn = (resourceName: string) =>
      Stack.of(this).formatArn({ service: 'ssm', resource: 'parameter', resourceName });
    return new iam.PolicyStatement({
      sid: 'ReadRunSettings',
      actions: ['ssm:GetParametersByPath'],
      resources: [arn(path.slice(1)), arn(`${path.slice(1)}/*`)],
    });
  }
}
