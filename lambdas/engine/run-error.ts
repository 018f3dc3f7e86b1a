/** A run-level problem (report-format.md `errors`): a bad or missing setting, an area that could not be read. */
export interface RunError {
  /** `InvalidSetting`, or the AWS error code of a read denied or throttled for a whole area. */
  code: string;
  message: string;
  /** The read that failed, as an IAM action (`ec2:DescribeRouteTables`). */
  api?: string;
  /** The setting's parameter name. */
  parameter?: string;
}
