/**
 * A failed fix in one sentence a person can act on. The codes are the ones these three writes and
 * their re-reads are documented to return; anything else is quoted as AWS said it.
 */
import type { FixId } from '../report-model.ts';

const DENIED =
  'the credentials may not make this change: compare them with `ssm-doctor permissions --fix` ' +
  '(an explicit deny such as the opt-out tag rule, an SCP or a permissions boundary also ends here)';

const SENTENCES: [RegExp, (fix: FixId) => string][] = [
  [/^(AccessDenied|UnauthorizedOperation|Unauthorized)/, () => DENIED],
  [
    /^IncorrectState$/,
    (fix) =>
      fix === 'attach-instance-profile'
        ? 'EC2 refused: the instance already has a profile association (made since it was re-read), or is not in a state that accepts one'
        : 'EC2 refused: the instance is not in a state that accepts this change',
  ],
  [/^IncorrectInstanceState$/, () => 'EC2 refused: the instance is not in a state that accepts this change'],
  [/^InvalidInstanceID\.NotFound$/, () => 'the instance no longer exists'],
  [/^NoSuchEntity/, () => 'IAM has no such role, profile or policy any more'],
  [
    /^(Throttl|RequestLimitExceeded|TooManyRequests)/,
    () => 'AWS throttled the call beyond the SDK retries; the next run tries again',
  ],
  [
    /^LimitExceeded$/,
    () =>
      'the role already holds as many managed policies as its quota allows: detach one or raise the quota',
  ],
  [/^UnmodifiableEntity$/, () => 'the role is protected (service-linked) and cannot be changed'],
  [/^InvalidParameter/, () => 'AWS rejected a parameter (is the configured instance profile name right?)'],
  [
    /^(ServiceUnavailable|ServiceFailure|InternalError|InternalFailure)/,
    () => 'AWS failed internally; the next run tries again',
  ],
];

/** EC2 denials carry a long encoded authorization message: keep the sentence readable. */
const MAX_AWS_MESSAGE = 200;

export function describeFailure(fix: FixId, code: string, message: string): string {
  const awsMessage = message.length > MAX_AWS_MESSAGE ? `${message.slice(0, MAX_AWS_MESSAGE)}…` : message;
  const sentence = SENTENCES.find(([pattern]) => pattern.test(code))?.[1](fix);
  if (sentence) return awsMessage ? `${sentence} (AWS: ${awsMessage})` : sentence;
  return `AWS answered ${code}${awsMessage ? `: ${awsMessage}` : ''}`;
}
