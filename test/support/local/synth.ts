/**
 * Builds the stack the way `bin/app.ts` does (same cdk.json context, same stack name) into a
 * throw-away folder under the project's `.tmp/`. Bundling and CloudFormation's own validation are
 * skipped unless a test asks for them: each costs seconds and neither is what these tests assert.
 */
import { mkdirSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import { App, type CfnElement, Stack, Validations } from 'aws-cdk-lib';
import { Template } from 'aws-cdk-lib/assertions';
import type { CloudAssembly } from 'aws-cdk-lib/cx-api';
import { AwsSolutionsChecks } from 'cdk-nag';
import type { IConstruct } from 'constructs';
import { PROJECT_ROOT } from '../../../lib/constructs/doctor-function.ts';
import { SSM_DOCTOR_STACK_PROPS, SsmDoctorStack } from '../../../lib/ssm-doctor-stack.ts';

// biome-ignore lint/suspicious/noExplicitAny: template JSON is free-form; each test narrows it by asserting.
export type Json = any;
export interface ResourceJson {
  Type: string;
  Properties: Record<string, Json>;
  Condition?: string;
  DeletionPolicy?: string;
}
export interface TemplateJson {
  Resources: Record<string, ResourceJson>;
  Parameters: Record<string, Record<string, Json>>;
  Conditions?: Record<string, Json>;
}

export interface Synthesized {
  app: App;
  stack: SsmDoctorStack;
  assembly: CloudAssembly;
  template: Template;
  /** The raw template, for helpers that walk it (e.g. `renderDefinition`). */
  json: TemplateJson;
  outdir: string;
  cleanup(): void;
}

/** The template logical ID of a construct's CloudFormation resource (its default child). */
export function logicalIdOf(construct: IConstruct): string {
  const element = (construct.node.defaultChild ?? construct) as CfnElement;
  return Stack.of(construct).getLogicalId(element);
}

const cdkContext = (): Record<string, unknown> =>
  JSON.parse(readFileSync(join(PROJECT_ROOT, 'cdk.json'), 'utf8')).context ?? {};

export function synthStack(
  options: { bundling?: boolean; nag?: boolean; context?: Record<string, unknown> } = {},
): Synthesized {
  const tmp = join(PROJECT_ROOT, '.tmp');
  mkdirSync(tmp, { recursive: true });
  const outdir = mkdtempSync(join(tmp, 'cdk-test-'));
  const app = new App({
    outdir,
    builtinCloudFormationValidation: false,
    context: {
      ...cdkContext(),
      ...(options.bundling ? {} : { 'aws:cdk:bundling-stacks': [] }),
      // Write validation-report.json and let the test read it, instead of throwing at synth.
      ...(options.nag ? { '@aws-cdk/core:failSynthOnValidationErrors': false } : {}),
      ...options.context,
    },
  });
  let stack: SsmDoctorStack;
  let assembly: CloudAssembly;
  try {
    stack = new SsmDoctorStack(app, 'SsmDoctor', SSM_DOCTOR_STACK_PROPS);
    if (options.nag) Validations.of(app).addPlugins(new AwsSolutionsChecks(app));
    assembly = app.synth();
  } catch (error) {
    rmSync(outdir, { recursive: true, force: true });
    throw error;
  }
  const json = assembly.getStackByName(stack.stackName).template as TemplateJson;
  return {
    app,
    stack,
    assembly,
    template: Template.fromJSON(json),
    json,
    outdir,
    cleanup: () => rmSync(outdir, { recursive: true, force: true }),
  };
}
