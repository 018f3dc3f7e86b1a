/**
 * A small client for the two Route 53 Resolver reads the network picture needs
 * (`ListResolverRules`, `ListResolverRuleAssociations`). Route 53 itself uses the SDK's
 * `@aws-sdk/client-route-53`; the Resolver cannot: `@aws-sdk/client-route53resolver` is served
 * only at 3.654.0, whose smithy stack differs from the one the other clients (3.1164.0) share, so
 * it would bundle a second copy into the Start run Lambda. Two read-only list calls do not need a
 * generated client: this one speaks JSON 1.1 directly, on pieces already installed
 * (`@smithy/core`'s middleware stack, `@smithy/signature-v4`, `@smithy/node-http-handler`, the
 * credential chain of `@aws-sdk/credential-providers`).
 *
 * It looks like an SDK client where it matters: `send(command)` runs the command through a
 * middleware stack whose context carries `clientName` / `commandName`, so the simulated account
 * (and its IAM check and trace) serves it exactly like the SDK's own clients, and errors carry
 * `name` (the AWS code), `$fault` and `$metadata`, so `attempt` classifies them as usual.
 * Throttling is retried with jittered back-off, as the SDK's retry strategy would.
 */
import { fromNodeProviderChain } from '@aws-sdk/credential-providers';
import { Sha256 } from '@smithy/core/checksum';
import { constructStack, ServiceException } from '@smithy/core/client';
import { HttpRequest } from '@smithy/core/protocols';
import { NodeHttpHandler } from '@smithy/node-http-handler';
import { SignatureV4 } from '@smithy/signature-v4';
import type {
  AwsCredentialIdentity,
  FinalizeHandlerArguments,
  FinalizeRequestMiddleware,
  MiddlewareStack,
} from '@smithy/types';

/** What `buildClients` hands every client class (the SDK-only options are ignored). */
export interface ResolverClientConfig {
  region: string;
  maxAttempts?: number;
  /** Present when the caller wants retries without delay (tests of the simulated account). */
  retryStrategy?: unknown;
  profile?: string;
  credentials?: AwsCredentialIdentity;
}

/** A command: the operation's name and its input, as the SDK's commands carry them. */
export abstract class ResolverCommand<Input extends object, Output extends object> {
  abstract readonly operation: string;
  declare readonly $output: Output;
  constructor(readonly input: Input) {}
}

export class Route53ResolverServiceException extends ServiceException {}

export interface ResolverRule {
  Id?: string;
  Arn?: string;
  Name?: string;
  DomainName?: string;
  RuleType?: 'FORWARD' | 'SYSTEM' | 'RECURSIVE' | string;
  Status?: string;
  OwnerId?: string;
  ShareStatus?: string;
  TargetIps?: { Ip?: string; Ipv6?: string; Port?: number; Protocol?: string }[];
  ResolverEndpointId?: string;
}
export interface ResolverRuleAssociation {
  Id?: string;
  ResolverRuleId?: string;
  Name?: string;
  VPCId?: string;
  Status?: string;
}
export interface ResolverFilter {
  Name: string;
  Values: string[];
}
export interface ListResolverRulesInput {
  MaxResults?: number;
  NextToken?: string;
  Filters?: ResolverFilter[];
}
export interface ListResolverRulesOutput {
  ResolverRules?: ResolverRule[];
  NextToken?: string;
}
export class ListResolverRulesCommand extends ResolverCommand<
  ListResolverRulesInput,
  ListResolverRulesOutput
> {
  readonly operation = 'ListResolverRules';
}
export interface ListResolverRuleAssociationsInput {
  MaxResults?: number;
  NextToken?: string;
  Filters?: ResolverFilter[];
}
export interface ListResolverRuleAssociationsOutput {
  ResolverRuleAssociations?: ResolverRuleAssociation[];
  NextToken?: string;
}
export class ListResolverRuleAssociationsCommand extends ResolverCommand<
  ListResolverRuleAssociationsInput,
  ListResolverRuleAssociationsOutput
> {
  readonly operation = 'ListResolverRuleAssociations';
}

/** The unsigned JSON 1.1 request for `operation` (the Resolver is regional). */
export function resolverRequest(operation: string, input: object, region: string): HttpRequest {
  const hostname = `route53resolver.${region}.amazonaws.com${region.startsWith('cn-') ? '.cn' : ''}`;
  return new HttpRequest({
    method: 'POST',
    protocol: 'https:',
    hostname,
    path: '/',
    headers: {
      host: hostname,
      'content-type': 'application/x-amz-json-1.1',
      'x-amz-target': `Route53Resolver.${operation}`,
    },
    body: JSON.stringify(input),
  });
}

/** The output a response body carries, or the error it carries (named by its AWS code). */
export function resolverOutput(status: number, body: string): object {
  const parsed = body ? (JSON.parse(body) as Record<string, unknown>) : {};
  if (status < 300) return parsed;
  const type = String(parsed.__type ?? parsed.code ?? `Http${status}`);
  throw new Route53ResolverServiceException({
    name: type.slice(type.lastIndexOf('#') + 1),
    $fault: status >= 500 ? 'server' : 'client',
    message: String(parsed.message ?? parsed.Message ?? ''),
    $metadata: { httpStatusCode: status },
  });
}

const THROTTLED = /^(Throttling|ThrottlingException|TooManyRequestsException)$/;

export class Route53ResolverClient {
  // biome-ignore lint/suspicious/noExplicitAny: the stack is typed by the SDK per client; ours is generic.
  readonly middlewareStack: MiddlewareStack<any, any> = constructStack();
  readonly config: ResolverClientConfig;
  #http?: NodeHttpHandler;
  #credentials?: () => Promise<AwsCredentialIdentity>;

  constructor(config: ResolverClientConfig) {
    this.config = config;
    // Outside whatever answers the call (the network, or the simulated account at `low`), as the SDK's retry is.
    this.middlewareStack.add(retryMiddleware(config), {
      step: 'finalizeRequest',
      priority: 'high',
      name: 'resolverClientRetry',
    });
  }

  async send<I extends object, O extends object>(command: ResolverCommand<I, O>): Promise<O> {
    const context = { clientName: 'Route53ResolverClient', commandName: `${command.operation}Command` };
    const handler = this.middlewareStack.resolve(
      (args: FinalizeHandlerArguments<I>) => this.#transmit(command.operation, args.input),
      context,
    );
    const { output } = await handler({ input: command.input });
    return output as O;
  }

  destroy(): void {
    this.#http?.destroy();
  }

  async #transmit(operation: string, input: object): Promise<{ output: object; response: unknown }> {
    const { region } = this.config;
    this.#credentials ??= this.config.credentials
      ? async () => this.config.credentials as AwsCredentialIdentity
      : fromNodeProviderChain(this.config.profile ? { profile: this.config.profile } : {});
    const signer = new SignatureV4({
      service: 'route53resolver',
      region,
      credentials: this.#credentials,
      sha256: Sha256,
    });
    const signed = await signer.sign(resolverRequest(operation, input, region));
    this.#http ??= new NodeHttpHandler();
    const { response } = await this.#http.handle(signed as HttpRequest);
    return { output: resolverOutput(response.statusCode, await readBody(response.body)), response };
  }
}

// biome-ignore lint/suspicious/noExplicitAny: generic over every command's input and output.
function retryMiddleware(config: ResolverClientConfig): FinalizeRequestMiddleware<any, any> {
  const attempts = Math.max(1, config.maxAttempts ?? 5);
  return (next) => async (args) => {
    for (let attempt = 1; ; attempt++) {
      try {
        return await next(args);
      } catch (error) {
        const code = (error as { name?: string }).name ?? '';
        if (!THROTTLED.test(code) || attempt >= attempts) throw error;
        const delay = config.retryStrategy ? 0 : Math.random() * Math.min(20_000, 100 * 2 ** attempt);
        await new Promise((resolve) => setTimeout(resolve, delay));
      }
    }
  };
}

async function readBody(body: unknown): Promise<string> {
  if (!body) return '';
  const chunks: Buffer[] = [];
  for await (const chunk of body as AsyncIterable<Buffer>) chunks.push(Buffer.from(chunk));
  return Buffer.concat(chunks).toString('utf8');
}
