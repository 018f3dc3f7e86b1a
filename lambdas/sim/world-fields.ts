/**
 * Field validators shared by the world schema. Each message says what is expected; the error
 * formatter (world.ts) adds what was found.
 */
import { z } from 'zod';
import { decodePolicyDocument, type WorldPolicyDocument } from './policy-document.ts';

export const expected = (what: string) => ({ error: `expected ${what}` });
export const id = (prefix: string, what: string) =>
  z.string(expected(what)).startsWith(prefix, expected(`${what} (starting with "${prefix}")`));
export const isoDate = z.iso.datetime({
  offset: true,
  ...expected('an ISO 8601 date-time such as 2026-11-26T06:00:00Z'),
});
export const arn = (pattern: RegExp, what: string) => z.string(expected(what)).regex(pattern, expected(what));
export const roleArn = arn(
  /^arn:aws[a-z-]*:iam::\d{12}:role\/.+/,
  'a role ARN (arn:aws:iam::<account>:role/<name>)',
);
export const policyArn = arn(
  /^arn:aws[a-z-]*:iam::(\d{12}|aws):policy\/.+/,
  'a policy ARN (arn:aws:iam::<account|aws>:policy/<name>)',
);
export const profileArn = arn(
  /^arn:aws[a-z-]*:iam::\d{12}:instance-profile\/.+/,
  'an instance profile ARN (arn:aws:iam::<account>:instance-profile/<name>)',
);
export const policyDocument = z.custom<WorldPolicyDocument>(
  (value) => {
    try {
      decodePolicyDocument(value);
      return true;
    } catch {
      return false;
    }
  },
  {
    error: (issue) => {
      let reason = 'missing';
      try {
        if (issue.input !== undefined) decodePolicyDocument(issue.input);
      } catch (error) {
        reason = (error as Error).message;
      }
      return `expected a policy document (a JSON object with Statement, or the URL-encoded JSON string IAM returns), got ${reason}`;
    },
  },
);
export const tags = z.array(
  z.looseObject({ Key: z.string(expected('a tag key')), Value: z.string().optional() }),
);

/** An AWS object: the listed fields are checked, any other key is kept as is. */
export const awsObject = <T>(shape: z.ZodRawShape) => z.looseObject(shape) as unknown as z.ZodType<T>;
/** Every list may be missing: missing means empty. */
export const list = <T>(item: z.ZodType<T>) => z.array(item).default([]);
