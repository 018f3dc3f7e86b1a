/**
 * Every Lambda default, set once: Node.js 22 on arm64, one ESM bundle with the SDK inside, JSON
 * logs to a log group kept a year (LogRetentionDays) and retained on stack deletion, Powertools env, and an own role that starts with nothing but its
 * log group. Each stage then adds exactly the statements it needs (see `functions.ts`).
 */
import { fileURLToPath } from 'node:url';
import { type Duration, RemovalPolicy, Validations } from 'aws-cdk-lib';
import * as iam from 'aws-cdk-lib/aws-iam';
import * as lambda from 'aws-cdk-lib/aws-lambda';
import { NodejsFunction, OutputFormat } from 'aws-cdk-lib/aws-lambda-nodejs';
import * as logs from 'aws-cdk-lib/aws-logs';
import { Construct } from 'constructs';
import { STAGE_ENV, type StageName } from '../../lambdas/workflow/manifest.ts';
import { logRetention } from '../health-parameters.ts';

/** A stage's handler file is named after the stage (lambdas/handlers/<stage>.ts). */
export type HandlerName = StageName;

export const PROJECT_ROOT = fileURLToPath(new URL('../../', import.meta.url));
export const handlerEntry = (name: HandlerName) => `${PROJECT_ROOT}lambdas/handlers/${name}.ts`;

/** Powertools service name and metrics namespace; the dashboard reads the same names. */
export const SERVICE_NAME = 'ssm-doctor';
export const METRICS_NAMESPACE = 'SsmDoctor';

export interface DoctorFunctionProps {
  stage: StageName;
  description: string;
  memorySize: number;
  timeout: Duration;
  /** Exactly the variables the stage's manifest names. */
  environment: Record<string, string>;
}

export class DoctorFunction extends Construct {
  readonly function: NodejsFunction;
  readonly role: iam.Role;
  readonly logGroup: logs.LogGroup;
  /** The role's one inline policy, where every grant lands and every IAM5 acknowledgement points. */
  readonly policy: iam.Policy;

  constructor(scope: Construct, id: string, props: DoctorFunctionProps) {
    super(scope, id);
    const logGroup = new logs.LogGroup(this, 'Logs', {
      retention: logRetention(this),
      // One structured line per change is here (README "Safety"): kept when the stack goes.
      removalPolicy: RemovalPolicy.RETAIN,
    });
    this.logGroup = logGroup;
    // An own role instead of the default one, so no AWSLambdaBasicExecutionRole (logs:* on *).
    this.role = new iam.Role(this, 'Role', {
      assumedBy: new iam.ServicePrincipal('lambda.amazonaws.com'),
      description: `ssm-doctor ${props.stage}: only what this stage needs`,
    });
    logGroup.grantWrite(this.role);
    this.policy = this.role.node.findChild('DefaultPolicy') as iam.Policy;

    this.function = new NodejsFunction(this, 'Function', {
      entry: handlerEntry(props.stage),
      handler: 'handler',
      description: props.description,
      projectRoot: PROJECT_ROOT,
      depsLockFilePath: `${PROJECT_ROOT}package-lock.json`,
      runtime: lambda.Runtime.NODEJS_22_X,
      architecture: lambda.Architecture.ARM_64,
      memorySize: props.memorySize,
      timeout: props.timeout,
      role: this.role,
      logGroup,
      loggingFormat: lambda.LoggingFormat.JSON,
      // SDK v3 keeps connections alive by itself; the v2-era variable is not needed.
      awsSdkConnectionReuse: false,
      environment: {
        POWERTOOLS_SERVICE_NAME: SERVICE_NAME,
        POWERTOOLS_METRICS_NAMESPACE: METRICS_NAMESPACE,
        // Which stage this function runs, so a template (and the local harness) can tell.
        [STAGE_ENV]: props.stage,
        ...props.environment,
      },
      bundling: {
        format: OutputFormat.ESM,
        target: 'node22',
        // SDK bundled (pinned with the code) and ESM entry points first: smaller, faster cold load.
        externalModules: [],
        mainFields: ['module', 'main'],
        minify: true,
        // Off: keeps bundles small and avoids --enable-source-maps on every cold start; the
        // structured logs carry the stage and run id, which is what an operator searches by.
        sourceMap: false,
        // CommonJS dependencies inside an ESM bundle still call require() for Node built-ins.
        banner:
          "import { createRequire as __createRequire } from 'node:module'; const require = __createRequire(import.meta.url);",
      },
    });
    Validations.of(this.function).acknowledge({
      id: 'AwsSolutions-L1',
      reason:
        'Node.js 22 is the runtime this project pins, tests and benchmarks (see STACK.md); Node.js 24 follows once its bundles and cold starts are measured.',
    });
  }

  addStatements(...statements: iam.PolicyStatement[]): void {
    for (const statement of statements) this.policy.addStatements(statement);
  }

  /** Acknowledges one cdk-nag finding on this function's policy, with the reason a reviewer reads. */
  acknowledge(findingId: string, reason: string): void {
    Validations.of(this.policy).acknowledge({ id: findingId, reason });
  }
}
