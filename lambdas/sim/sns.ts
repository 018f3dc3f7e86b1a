/**
 * The simulated SNS API: Publish to a topic. Nothing is delivered; each message is kept in the
 * account's `published` outbox. SNS's own checks apply (topic ARN of this region, message size,
 * Subject rules for email), so a subject that real SNS would refuse fails here too.
 */
import { randomUUID } from 'node:crypto';
import type { PublishInput } from '@aws-sdk/client-sns';
import type { Handlers, SimContext } from './context.ts';
import { awsError, notImplemented } from './errors.ts';

const MAX_MESSAGE_BYTES = 256 * 1024;

const invalid = (what: string) => awsError('sns', 'InvalidParameter', `Invalid parameter: ${what}`);

function publish(input: PublishInput, ctx: SimContext) {
  if (!input.TopicArn)
    throw input.TargetArn || input.PhoneNumber
      ? notImplemented('sns:Publish to a TargetArn or PhoneNumber')
      : invalid('TopicArn or TargetArn');
  const arn = /^arn:aws[a-z-]*:sns:([a-z0-9-]+):(\d{12}):[\w-]{1,256}(\.fifo)?$/.exec(input.TopicArn);
  if (!arn || arn[1] !== ctx.region) throw invalid('TopicArn');
  if (!input.Message)
    throw awsError(
      'sns',
      'ValidationError',
      "1 validation error detected: Value null at 'message' failed to satisfy constraint: Member must not be null",
    );
  if (Buffer.byteLength(input.Message, 'utf8') > MAX_MESSAGE_BYTES) throw invalid('Message too long');
  // Email subjects: ASCII, starting with a letter, digit or punctuation, no line breaks, under 100 characters.
  if (input.Subject !== undefined && !/^[!-~][ -~]{0,98}$/.test(input.Subject)) throw invalid('Subject');
  ctx.publish({ TopicArn: input.TopicArn, Subject: input.Subject, Message: input.Message });
  return { MessageId: randomUUID() };
}

export const snsHandlers: Handlers = { Publish: publish };
