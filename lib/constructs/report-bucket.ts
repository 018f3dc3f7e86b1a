/**
 * The bucket that keeps every run's full report (JSON and markdown), which the email links to.
 * Private and encrypted (SSE-S3), TLS only, public access blocked, objects expire after 400 days
 * (a year of history plus a margin), and the bucket is retained on stack deletion like the table
 * and the logs: it is part of what was told. The report function may only put objects under `runs/`.
 */
import { Duration, RemovalPolicy, Stack, Validations } from 'aws-cdk-lib';
import { PolicyStatement } from 'aws-cdk-lib/aws-iam';
import * as s3 from 'aws-cdk-lib/aws-s3';
import { Construct } from 'constructs';
import type { StageManifest } from '../../lambdas/workflow/manifest.ts';
import { WORK_PREFIX } from '../../lambdas/workflow/work-objects.ts';
import type { Grant } from '../iam/stage-policy.ts';

export const REPORT_PREFIX = 'runs/';
const KEPT_DAYS = 400;
/** A run's work objects are read within the run (an hour or two); kept a little longer to look into a failed one. */
const WORK_KEPT_DAYS = 3;

export class ReportBucket extends Construct {
  readonly bucket: s3.Bucket;

  constructor(scope: Construct, id: string) {
    super(scope, id);
    this.bucket = new s3.Bucket(this, 'Bucket', {
      encryption: s3.BucketEncryption.S3_MANAGED,
      enforceSSL: true,
      blockPublicAccess: s3.BlockPublicAccess.BLOCK_ALL,
      objectOwnership: s3.ObjectOwnership.BUCKET_OWNER_ENFORCED,
      versioned: false,
      lifecycleRules: [
        { id: 'expire-reports', prefix: REPORT_PREFIX, expiration: Duration.days(KEPT_DAYS) },
        { id: 'expire-run-work', prefix: WORK_PREFIX, expiration: Duration.days(WORK_KEPT_DAYS) },
        { id: 'abort-uploads', abortIncompleteMultipartUploadAfter: Duration.days(1) },
      ],
      removalPolicy: RemovalPolicy.RETAIN,
    });
    Validations.of(this.bucket).acknowledge({
      id: 'AwsSolutions-S1',
      reason:
        'Only the report function writes here (its role is the one grant) and CloudTrail records the writes; server access logs would need a second bucket that logs nothing of use.',
    });
  }

  /** Putting reports under `runs/` and nothing else (the stage manifest's `archivesReports`). */
  writeGrant(): Grant {
    const bucketId = Stack.of(this).resolve((this.bucket.node.defaultChild as s3.CfnBucket).logicalId);
    return {
      statements: [
        new PolicyStatement({
          sid: 'PutRunReports',
          actions: ['s3:PutObject'],
          resources: [this.bucket.arnForObjects(`${REPORT_PREFIX}*`)],
        }),
      ],
      acknowledgements: {
        [`AwsSolutions-IAM5[Resource::<${bucketId}.Arn>/${REPORT_PREFIX}*]`]:
          'The report function writes new objects under runs/<date>/<run id>/, whose names are not known in advance; s3:PutObject only, no read or delete.',
      },
    };
  }

  /** The run's work objects under `work/` (the manifest's `work`): get and/or put, no list, no delete. */
  workGrant(access: StageManifest['work']): Grant {
    const bucketId = Stack.of(this).resolve((this.bucket.node.defaultChild as s3.CfnBucket).logicalId);
    const actions = access.map((a) => (a === 'get' ? 's3:GetObject' : 's3:PutObject'));
    return {
      statements: [
        new PolicyStatement({
          sid: 'RunWorkObjects',
          actions,
          resources: [this.bucket.arnForObjects(`${WORK_PREFIX}*`)],
        }),
      ],
      acknowledgements: {
        [`AwsSolutions-IAM5[Resource::<${bucketId}.Arn>/${WORK_PREFIX}*]`]:
          'A run hands its batches, findings and outcomes on as objects under work/<run id>/, named per run; only s3:GetObject/PutObject as the stage needs, no list or delete, expiring after 3 days.',
      },
    };
  }
}
