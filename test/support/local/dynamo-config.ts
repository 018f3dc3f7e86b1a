/**
 * How every client of the local DynamoDB server is configured, in this process or another (the
 * benchmark's stage processes): a file of its own, so a client needs no dynalite loaded.
 */
export const localDynamoConfig = (endpoint: string) => ({
  endpoint,
  region: 'eu-west-1',
  credentials: { accessKeyId: 'local', secretAccessKey: 'local' },
  maxAttempts: 2,
});
