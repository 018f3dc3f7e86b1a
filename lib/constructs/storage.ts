/**
 * One DynamoDB table for everything a run keeps: candidate batches, findings and actions (each
 * with an `expiresAt` TTL), the per-instance ledger and the run lock. Kept on stack deletion:
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
