/**
 * One DynamoDB table for what a run must be sure of and what outlives it: the run's META and
 * batch markers (with an `expiresAt` TTL), the per-instance ledger and open-problem set, the
 * change journal, the outbox and the run lock (batches and findings travel as S3 work objects). Kept on stack deletion:
 * the ledger is the memory of what was tried and told.
 */
import { RemovalPolicy } from 'aws-cdk-lib';
import * as dynamodb from 'aws-cdk-lib/aws-dynamodb';
import { Construct } from 'constructs';

/** TTL attribute: epoch seconds after which DynamoDB may delete the item. */
export const TTL_ATTRIBUTE = 'expiresAt';

export class RunStorage extends Construct {
  readonly table: dynamodb.Table;

  constructor(scope: Construct, id: string) {
    super(scope, id);
    this.table = new dynamodb.Table(this, 'Table', {
      partitionKey: { name: 'pk', type: dynamodb.AttributeType.STRING },
      sortKey: { name: 'sk', type: dynamodb.AttributeType.STRING },
      billingMode: dynamodb.BillingMode.PAY_PER_REQUEST,
      pointInTimeRecoverySpecification: { pointInTimeRecoveryEnabled: true },
      timeToLiveAttribute: TTL_ATTRIBUTE,
      encryption: dynamodb.TableEncryption.AWS_MANAGED,
      removalPolicy: RemovalPolicy.RETAIN,
      // The ledger and the run records outlive any one deployment: deleting the table takes an
      // explicit change of this setting first.
      deletionProtection: true,
    });
  }
}
