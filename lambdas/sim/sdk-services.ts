/**
 * The SDK packages the simulator serves, by the client name the SDK puts in the middleware
 * context. Each package exports, next to its clients and commands, the static schemas the SDK's
 * own (de)serializers use: `<Operation>$` for operations and `<Error>$` for modeled errors. The
 * simulator reads those instead of hand-written tables, so outputs and errors take exactly the
 * shapes and classes the real deserializer would produce.
 */
import * as cloudwatch from '@aws-sdk/client-cloudwatch';
import * as ec2 from '@aws-sdk/client-ec2';
import * as events from '@aws-sdk/client-eventbridge';
import * as iam from '@aws-sdk/client-iam';
import * as route53 from '@aws-sdk/client-route-53';
import * as s3 from '@aws-sdk/client-s3';
import * as sfn from '@aws-sdk/client-sfn';
import * as sns from '@aws-sdk/client-sns';
import * as ssm from '@aws-sdk/client-ssm';
import * as sts from '@aws-sdk/client-sts';
import { Route53ResolverServiceException } from '../aws/resolver-client.ts';

export type ServicePrefix =
  | 'ec2'
  | 'ssm'
  | 'iam'
  | 'cloudwatch'
  | 'sns'
  | 'sts'
  | 's3'
  | 'events'
  /** Step Functions: IAM names its actions `states:…`. */
  | 'states'
  | 'route53'
  | 'route53resolver';

/** The base exception class every SDK package exports (`EC2ServiceException`, …). */
export type ServiceExceptionClass = new (options: {
  name: string;
  $fault: 'client' | 'server';
  message?: string;
  $metadata: Record<string, unknown>;
}) => Error;

export interface SdkService {
  /** IAM action prefix, e.g. `ec2` in `ec2:DescribeInstances`. */
  prefix: ServicePrefix;
  clientName: string;
  exports: Readonly<Record<string, unknown>>;
  BaseException: ServiceExceptionClass;
}

export const SDK_SERVICES: Readonly<Record<ServicePrefix, SdkService>> = {
  ec2: {
    prefix: 'ec2',
    clientName: 'EC2Client',
    exports: ec2,
    BaseException: ec2.EC2ServiceException as unknown as ServiceExceptionClass,
  },
  ssm: {
    prefix: 'ssm',
    clientName: 'SSMClient',
    exports: ssm,
    BaseException: ssm.SSMServiceException as unknown as ServiceExceptionClass,
  },
  iam: {
    prefix: 'iam',
    clientName: 'IAMClient',
    exports: iam,
    BaseException: iam.IAMServiceException as unknown as ServiceExceptionClass,
  },
  cloudwatch: {
    prefix: 'cloudwatch',
    clientName: 'CloudWatchClient',
    exports: cloudwatch,
    BaseException: cloudwatch.CloudWatchServiceException as unknown as ServiceExceptionClass,
  },
  sns: {
    prefix: 'sns',
    clientName: 'SNSClient',
    exports: sns,
    BaseException: sns.SNSServiceException as unknown as ServiceExceptionClass,
  },
  sts: {
    prefix: 'sts',
    clientName: 'STSClient',
    exports: sts,
    BaseException: sts.STSServiceException as unknown as ServiceExceptionClass,
  },
  s3: {
    prefix: 's3',
    clientName: 'S3Client',
    exports: s3,
    BaseException: s3.S3ServiceException as unknown as ServiceExceptionClass,
  },
  events: {
    prefix: 'events',
    clientName: 'EventBridgeClient',
    exports: events,
    BaseException: events.EventBridgeServiceException as unknown as ServiceExceptionClass,
  },
  states: {
    prefix: 'states',
    clientName: 'SFNClient',
    exports: sfn,
    BaseException: sfn.SFNServiceException as unknown as ServiceExceptionClass,
  },
  route53: {
    prefix: 'route53',
    clientName: 'Route53Client',
    exports: route53,
    BaseException: route53.Route53ServiceException as unknown as ServiceExceptionClass,
  },
  // Our own small client (lambdas/aws/resolver-client.ts): no static schemas, so outputs are
  // served as the handlers build them and errors take the base class with the AWS code as name.
  route53resolver: {
    prefix: 'route53resolver',
    clientName: 'Route53ResolverClient',
    exports: {},
    BaseException: Route53ResolverServiceException as unknown as ServiceExceptionClass,
  },
};

const BY_CLIENT = new Map(Object.values(SDK_SERVICES).map((s) => [s.clientName, s]));

export const serviceForClient = (clientName: string | undefined): SdkService | undefined =>
  clientName === undefined ? undefined : BY_CLIENT.get(clientName);

/** The IAM-style action of a call: `EC2Client` + `DescribeInstancesCommand` → `ec2:DescribeInstances`. */
export function actionOf(clientName: string | undefined, commandName: string | undefined): string {
  const prefix =
    serviceForClient(clientName)?.prefix ?? (clientName ?? 'unknown').replace(/Client$/, '').toLowerCase();
  return `${prefix}:${(commandName ?? 'Unknown').replace(/Command$/, '')}`;
}
