/**
 * The CDK app: `npx cdk synth` / `cdk deploy` entry point. Environment-agnostic (no account or
 * region), so one template serves every account/region, StackSets included.
 */
import { App, Validations } from 'aws-cdk-lib';
import { AwsSolutionsChecks } from 'cdk-nag';
import { SSM_DOCTOR_STACK_PROPS, SsmDoctorStack } from '../lib/ssm-doctor-stack.ts';

const app = new App();
new SsmDoctorStack(app, 'SsmDoctor', SSM_DOCTOR_STACK_PROPS);
Validations.of(app).addPlugins(new AwsSolutionsChecks(app));
