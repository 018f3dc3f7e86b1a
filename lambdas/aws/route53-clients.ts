/**
 * Small clients for the four Route 53 / Resolver reads the network picture needs.
 *
 * Why not the SDK packages: `@aws-sdk/client-route53resolver` is served only at 3.654.0, whose
 * smithy stack differs from the one the other clients (3.1164.0) share, so it would bundle a
 * second copy into every Lambda. (Route 53 itself is served as `@aws-sdk/client-route-53` — the
 * name was missed when this was written; moving Route 53 to it is an open follow-up, the Resolver
 * has to stay here.) Four read-only list calls do not need a generated client: these are built on
 * pieces already installed (`@smithy/core`'s middleware stack, `@smithy/signature-v4`,
 * `@smithy/node-http-handler`, `@aws-sdk/core`'s XML body parser, the credential chain of
 * `@aws-sdk/credential-providers`) and speak the two wire protocols directly: REST-XML for
 * Route 53, JSON 1.1 for Route 53 Resolver.
 *
 * They look like SDK clients where it matters: `send(command)` runs the command through a
 * middleware stack whose context carries `clientName` / `commandName`, so the simulated account
 * (and its IAM check and trace) serves them exactly like the SDK's own clients, and errors carry
 * `name` (the AWS code), `$fault` and `$metadata`, so `attempt` classifies them as usual.
 * Throttling is retried with jittered back-off, as the SDK's retry strategy would.
 */
import { parseXmlBody } from '@aws-sdk/core/protocols';
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

/** What `buildClients` hands every client class. */
export interface SmallClientConfig {
  region: string;
  maxAttempts?: number;
  /** Present when the caller wants retries without delay (tests of the simulated account). */
  retryStrategy?: unknown;
  profile?: string;
  credentials?: AwsCredentialIdentity;
}

/** A command: the operation's name and its input, as the SDK's commands carry them. */
export abstract class SmallCommand<Input extends object, Output extends object> {
  abstract readonly operation: string;
  declare readonly $output: Output;
  constructor(readonly input: Input) {}
}

export class Route53ServiceException extends ServiceException {}
export class Route53ResolverServiceException extends ServiceException {}

const THROTTLED = /^(Throttling|ThrottlingException|PriorRequestNotComplete|TooManyRequestsException)$/;

interface Wire {
  clientName: string;
  /** Turns a command into an unsigned HTTP request. */
  request(operation: string, input: object, region: string): HttpRequest;
  /** Turns a response body into the output, or the error it carries. */
  output(operation: string, status: number, body: string): Promise<object>;
  signing(region: string): { service: string; region: string };
}

abstract class SmallClient {
  // biome-ignore lint/suspicious/noExplicitAny: the stack is typed by the SDK per client; ours is generic.
  readonly middlewareStack: MiddlewareStack<any, any> = constructStack();
  readonly config: SmallClientConfig;
  #http?: NodeHttpHandler;
  #credentials?: () => Promise<AwsCredentialIdentity>;

  constructor(
    config: SmallClientConfig,
    private readonly wire: Wire,
  ) {
    this.config = config;
    // Outside whatever answers the call (the network, or the simulated account at `low`), as the SDK's retry is.
    this.middlewareStack.add(retryMiddleware(config), {
      step: 'finalizeRequest',
      priority: 'high',
      name: 'smallClientRetry',
    });
  }

  async send<I extends object, O extends object>(command: SmallCommand<I, O>): Promise<O> {
    const context = { clientName: this.wire.clientName, commandName: `${command.operation}Command` };
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
    const unsigned = this.wire.request(operation, input, region);
    this.#credentials ??= this.config.credentials
      ? async () => this.config.credentials as AwsCredentialIdentity
      : fromNodeProviderChain(this.config.profile ? { profile: this.config.profile } : {});
    const signer = new SignatureV4({
      ...this.wire.signing(region),
      credentials: this.#credentials,
      sha256: Sha256,
    });
    const signed = await signer.sign(unsigned);
    this.#http ??= new NodeHttpHandler();
    const { response } = await this.#http.handle(signed as HttpRequest);
    const body = await readBody(response.body);
    return { output: await this.wire.output(operation, response.statusCode, body), response };
  }
}

// biome-ignore lint/suspicious/noExplicitAny: generic over every command's input and output.
function retryMiddleware(config: SmallClientConfig): FinalizeRequestMiddleware<any, any> {
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

function awsError(
  Base: typeof ServiceException,
  code: string,
  message: string,
  status: number,
  requestId?: string,
): Error {
  return new Base({
    name: code,
    $fault: status >= 500 ? 'server' : 'client',
    message,
    $metadata: { httpStatusCode: status, ...(requestId ? { requestId } : {}) },
  });
}

// ---- Route 53 (REST-XML, global: signed for us-east-1, or cn-northwest-1 in China) ----

export interface HostedZoneSummary {
  HostedZoneId?: string;
  Name?: string;
  Owner?: { OwningAccount?: string; OwningService?: string };
}
export interface ResourceRecordSet {
  Name?: string;
  Type?: string;
  TTL?: number;
  SetIdentifier?: string;
  ResourceRecords?: { Value?: string }[];
  AliasTarget?: { HostedZoneId?: string; DNSName?: string; EvaluateTargetHealth?: boolean };
}

export interface ListHostedZonesByVPCInput {
  VPCId: string;
  VPCRegion: string;
  MaxItems?: number;
  NextToken?: string;
}
export interface ListHostedZonesByVPCOutput {
  HostedZoneSummaries?: HostedZoneSummary[];
  NextToken?: string;
}
export class ListHostedZonesByVPCCommand extends SmallCommand<
  ListHostedZonesByVPCInput,
  ListHostedZonesByVPCOutput
> {
  readonly operation = 'ListHostedZonesByVPC';
}

export interface ListResourceRecordSetsInput {
  HostedZoneId: string;
  StartRecordName?: string;
  StartRecordType?: string;
  StartRecordIdentifier?: string;
  MaxItems?: number;
}
export interface ListResourceRecordSetsOutput {
  ResourceRecordSets?: ResourceRecordSet[];
  IsTruncated?: boolean;
  NextRecordName?: string;
  NextRecordType?: string;
  NextRecordIdentifier?: string;
}
export class ListResourceRecordSetsCommand extends SmallCommand<
  ListResourceRecordSetsInput,
  ListResourceRecordSetsOutput
> {
  readonly operation = 'ListResourceRecordSets';
}

const ROUTE53_PATHS: Record<
  string,
  (input: Record<string, unknown>) => { path: string; query: Record<string, unknown> }
> = {
  ListHostedZonesByVPC: (i) => ({
    path: '/2013-04-01/hostedzonesbyvpc',
    query: { vpcid: i.VPCId, vpcregion: i.VPCRegion, maxitems: i.MaxItems, nexttoken: i.NextToken },
  }),
  ListResourceRecordSets: (i) => ({
    path: `/2013-04-01/hostedzone/${encodeURIComponent(String(i.HostedZoneId).replace(/^\/hostedzone\//, ''))}/rrset`,
    query: {
      name: i.StartRecordName,
      type: i.StartRecordType,
      identifier: i.StartRecordIdentifier,
      maxitems: i.MaxItems,
    },
  }),
};

const route53Host = (region: string) =>
  region.startsWith('cn-') ? 'route53.amazonaws.com.cn' : 'route53.amazonaws.com';

export const route53Wire: Wire = {
  clientName: 'Route53Client',
  signing: (region) => ({
    service: 'route53',
    region: region.startsWith('cn-') ? 'cn-northwest-1' : 'us-east-1',
  }),
  request(operation, input, region) {
    const shape = ROUTE53_PATHS[operation];
    if (!shape) throw new Error(`Route53Client: ${operation} is not one of the reads it makes`);
    const { path, query } = shape(input as Record<string, unknown>);
    const hostname = route53Host(region);
    return new HttpRequest({
      method: 'GET',
      protocol: 'https:',
      hostname,
      path,
      query: Object.fromEntries(
        Object.entries(query).flatMap(([k, v]) => (v === undefined ? [] : [[k, String(v)]])),
      ),
      headers: { host: hostname },
    });
  },
  async output(operation, status, body) {
    const parsed = body
      ? ((await parseXmlBody(new TextEncoder().encode(body), {} as never)) as Record<string, unknown>)
      : {};
    if (status >= 300) {
      const error = (parsed.Error ?? {}) as Record<string, string>;
      throw awsError(
        Route53ServiceException,
        error.Code ?? `Http${status}`,
        error.Message ?? '',
        status,
        parsed.RequestId as string | undefined,
      );
    }
    return route53Output(operation, parsed);
  },
};

const list = <T>(wrapper: unknown, member: string): T[] => {
  const items = (wrapper as Record<string, unknown> | undefined)?.[member];
  return items === undefined ? [] : ((Array.isArray(items) ? items : [items]) as T[]);
};

/** The parsed XML in the SDK's output shape: lists unwrapped, numbers and booleans typed. */
export function route53Output(operation: string, xml: Record<string, unknown>): object {
  if (operation === 'ListHostedZonesByVPC') {
    return {
      HostedZoneSummaries: list<HostedZoneSummary>(xml.HostedZoneSummaries, 'HostedZoneSummary'),
      ...(xml.NextToken ? { NextToken: String(xml.NextToken) } : {}),
    };
  }
  const sets = list<Record<string, unknown>>(xml.ResourceRecordSets, 'ResourceRecordSet').map((set) => {
    const alias = set.AliasTarget as Record<string, unknown> | undefined;
    return {
      ...set,
      ...(set.TTL !== undefined ? { TTL: Number(set.TTL) } : {}),
      ...(set.ResourceRecords ? { ResourceRecords: list(set.ResourceRecords, 'ResourceRecord') } : {}),
      ...(alias
        ? { AliasTarget: { ...alias, EvaluateTargetHealth: alias.EvaluateTargetHealth === 'true' } }
        : {}),
    } as ResourceRecordSet;
  });
  return {
    ResourceRecordSets: sets,
    IsTruncated: xml.IsTruncated === 'true',
    ...(xml.NextRecordName ? { NextRecordName: String(xml.NextRecordName) } : {}),
    ...(xml.NextRecordType ? { NextRecordType: String(xml.NextRecordType) } : {}),
    ...(xml.NextRecordIdentifier ? { NextRecordIdentifier: String(xml.NextRecordIdentifier) } : {}),
  };
}

export class Route53Client extends SmallClient {
  constructor(config: SmallClientConfig) {
    super(config, route53Wire);
  }
}

// ---- Route 53 Resolver (JSON 1.1, regional) ----

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
export class ListResolverRulesCommand extends SmallCommand<ListResolverRulesInput, ListResolverRulesOutput> {
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
export class ListResolverRuleAssociationsCommand extends SmallCommand<
  ListResolverRuleAssociationsInput,
  ListResolverRuleAssociationsOutput
> {
  readonly operation = 'ListResolverRuleAssociations';
}

export const resolverWire: Wire = {
  clientName: 'Route53ResolverClient',
  signing: (region) => ({ service: 'route53resolver', region }),
  request(operation, input, region) {
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
  },
  async output(_operation, status, body) {
    const parsed = body ? (JSON.parse(body) as Record<string, unknown>) : {};
    if (status >= 300) {
      const type = String(parsed.__type ?? parsed.code ?? `Http${status}`);
      throw awsError(
        Route53ResolverServiceException,
        type.slice(type.lastIndexOf('#') + 1),
        String(parsed.message ?? parsed.Message ?? ''),
        status,
      );
    }
    return parsed;
  },
};

export class Route53ResolverClient extends SmallClient {
  constructor(config: SmallClientConfig) {
    super(config, resolverWire);
  }
}
