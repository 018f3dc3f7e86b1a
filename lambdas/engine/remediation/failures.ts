/**
 * A failed fix in one sentence a person can act on. The codes are the ones these three writes and
 * their re-reads are documented to return; anything else is quoted as AWS said it.
 */
import type { FixId } from '../report-model.ts';
import { FIXES } from './fixes.ts';

const DENIED =
  'the credentials may not make this change: compare them with `ssm-doctor permissions --fix` ' +
  '(an explicit deny such as the opt-out tag rule, an SCP or a permissions boundary also ends here)';

/** Failures every fix can meet; each fix adds its own (`FIXES[id].failures`), which come first. */
const SHARED: (readonly [RegExp, string])[] = [
  [/^(AccessDenied|UnauthorizedOperation|Unauthorized)/, DENIED],
  [/^IncorrectState$/, 'EC2 refused: the instance is not in a state that accepts this change'],
  [/^InvalidInstanceID\.NotFound$/, 'the instance no longer exists'],
  [/^NoSuchEntity/, 'IAM has no such role, profile or policy any more'],
  [
    /^(Throttl|RequestLimitExceeded|TooManyRequests)/,
    'AWS throttled the call beyond the SDK retries; the next run tries again',
  ],
  [
    /^(ServiceUnavailable|ServiceFailure|InternalError|InternalFailure)/,
    'AWS failed internally; the next run tries again',
  ],
];

/** EC2 denials carry a long encoded authorization message: keep the sentence readable. */
const MAX_AWS_MESSAGE = 200;

export function describeFailure(fix: FixId, code: string, message: string): string {
  const awsMessage = message.length > MAX_AWS_MESSAGE ? `${message.slice(0, MAX_AWS_MESSAGE)}…` : message;
  const sentence = [...FIXES[fix].failures, ...SHARED].find(([pattern]) => pattern.test(code))?.[1];
  if (sentence) return awsMessage ? `${sentence} (AWS: ${awsMessage})` : sentence;
  return `AWS answered ${code}${awsMessage ? `: ${awsMessage}` : ''}`;
}
