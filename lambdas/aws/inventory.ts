/**
 * Discovery's two inventories, each read to the end: every running instance, and every SSM
 * registration. Nothing else can be decided without both, so a failure here fails the run.
 */
import { type EC2Client, type Filter, type Instance, paginateDescribeInstances } from '@aws-sdk/client-ec2';
import {
  DescribeInstanceInformationCommand,
  type InstanceInformation,
  type InstanceProperty,
  paginateDescribeInstanceInformation,
  paginateDescribeInstanceProperties,
  type SSMClient,
} from '@aws-sdk/client-ssm';
import type { Readout } from '../engine/readout.ts';
import type { RunError } from '../engine/run-error.ts';
import type { AwsClients } from './clients.ts';
import { attempt, DENIED_OR_THROTTLED, errorCode, expectedKind, isCode } from './errors.ts';
import { chunk, drain, mapBounded, rateLimiter } from './paging.ts';

export interface Inventory {
  instances: Instance[];
  registrations: InstanceInformation[];
  /** Said in the run's errors: discovery had to fall back to the slower listing, and why. */
  errors: RunError[];
}

/** What to keep of each instance as the pages come (default: all of it). */
export type InstanceShape = (instance: Instance) => Instance;

/** Every instance matching the filters, all pages, each kept as `shape` says while paging. */
export function describeInstances(
  ec2: EC2Client,
  Filters: Filter[],
  shape: InstanceShape = (instance) => instance,
): Promise<Instance[]> {
  return drain(paginateDescribeInstances({ client: ec2, pageSize: 1000 }, { Filters }), (page) =>
    page.Reservations?.flatMap((reservation) => (reservation.Instances ?? []).map(shape)),
  );
}

const RUNNING: Filter = { Name: 'instance-state-name', Values: ['running'] };

/** Running instances whose `name` filter matches any of the values (chunked to stay within a filter's limit). */
async function readRunningBy(ec2: EC2Client, name: string, values: readonly string[]): Promise<Instance[]> {
  const pages = await Promise.all(
    chunk([...new Set(values)]).map((part) =>
      describeInstances(ec2, [RUNNING, { Name: name, Values: part }]),
    ),
  );
  return pages.flat();
}

export function readRunningInstances(
  clients: Pick<AwsClients, 'ec2'>,
  instanceIds?: readonly string[],
  shape?: InstanceShape,
): Promise<Instance[]> {
  // Filters, not InstanceIds: an id that no longer exists is simply absent instead of failing the call.
  return instanceIds?.length
    ? readRunningBy(clients.ec2, 'instance-id', instanceIds)
    : describeInstances(clients.ec2, [RUNNING], shape);
}

/** Running instances that use any of these instance profiles: who a change to a shared role reaches. */
export function readProfileUsers(
  clients: Pick<AwsClients, 'ec2'>,
  profileArns: readonly string[],
): Promise<Instance[]> {
  return profileArns.length
    ? readRunningBy(clients.ec2, 'iam-instance-profile.arn', profileArns)
    : Promise.resolve([]);
}

/** DescribeInstanceInformation accepts at most 50 per page. */
export function readRegistrations(clients: Pick<AwsClients, 'ssm'>): Promise<InstanceInformation[]> {
  return drain(
    paginateDescribeInstanceInformation({ client: clients.ssm, pageSize: 50 }, {}),
    (page) => page.InstanceInformationList,
  );
}

/**
 * Where discovery must use DescribeInstanceInformation: above this many running instances the
 * registrations are read by id, in parallel; up to it, the one listing (a serial chain of pages,
 * ~400 at this size: ~10 s at 25 ms a call, ~60 s at 150 ms) is both fewer calls and fast enough. By id costs more calls (~3 per 100 instances: a
 * chunk holding an unregistered id fails once, then reads its two pages, against 2 per 100
 * registrations listed) and buys a wall time that no longer grows with one chain.
 */
export const BY_ID_ABOVE = 20_000;

/** An InstanceIds filter takes up to 100 values; they come back in pages of at most 50. */
const IDS_PER_FILTER = 100;

/**
 * SSM publishes no rate for DescribeInstanceInformation. We assume 40 requests a second for the
 * account — what the serial listing itself reaches at 25 ms a call — and keep to it: at most 40
 * calls started a second, 8 in flight. Should the account's bucket be smaller, the clients'
 * adaptive retry mode slows every SSM call down to what it allows.
 */
export const REGISTRATION_RATE = { perSecond: 40, inFlight: 8 } as const;

/**
 * The registrations of these instances, read by id-filtered chunks in parallel within
 * `REGISTRATION_RATE`: for them, the same registrations the listing gives. Registrations of other
 * nodes (stopped instances, hybrid nodes) are not read: discovery does not use them.
 */
export async function readRegistrationsOf(
  ssm: SSMClient,
  instanceIds: readonly string[],
  rate: { perSecond: number; inFlight: number } = REGISTRATION_RATE,
): Promise<InstanceInformation[]> {
  const slot = rateLimiter(rate.perSecond);
  const parts = await mapBounded(chunk([...new Set(instanceIds)], IDS_PER_FILTER), rate.inFlight, (ids) =>
    registeredAmong(ssm, ids, slot),
  );
  return parts.flat();
}

/** The ids of those asked that an InvalidInstanceId message names (`Instances [[i-1, i-2]] not in a valid state…`). */
function namedIds(error: unknown, asked: readonly string[]): Set<string> {
  const message = (error as { message?: string }).message ?? '';
  const wanted = new Set(asked);
  return new Set((message.match(/\b(?:i|mi)-[0-9a-f]+\b/g) ?? []).filter((id) => wanted.has(id)));
}

/**
 * The registrations among these ids (discovery by id, and `readOnline` after fixes). A filter
 * naming an id that is not a managed node fails as a whole (`InvalidInstanceId`) — which is what a
 * freshly fixed instance usually is: the ids the message names are left out and the rest asked
 * again; when it names none of them, the ids are halved until the unregistered ones stand alone.
 */
async function registeredAmong(
  ssm: SSMClient,
  ids: readonly string[],
  slot: () => Promise<void>,
): Promise<InstanceInformation[]> {
  if (ids.length === 0) return [];
  const found: InstanceInformation[] = [];
  try {
    let token: string | undefined;
    do {
      await slot();
      const page = await ssm.send(
        new DescribeInstanceInformationCommand({
          Filters: [{ Key: 'InstanceIds', Values: [...ids] }],
          MaxResults: 50,
          ...(token ? { NextToken: token } : {}),
        }),
      );
      found.push(...(page.InstanceInformationList ?? []));
      token = page.NextToken;
    } while (token);
    return found;
  } catch (error) {
    if (!isCode(error, 'InvalidInstanceId')) throw error;
    const named = namedIds(error, ids);
    if (named.size > 0)
      return registeredAmong(
        ssm,
        ids.filter((id) => !named.has(id)),
        slot,
      );
    if (ids.length === 1) return [];
    const half = Math.ceil(ids.length / 2);
    const [first, second] = await Promise.all([
      registeredAmong(ssm, ids.slice(0, half), slot),
      registeredAmong(ssm, ids.slice(half), slot),
    ]);
    return [...first, ...second];
  }
}

/** DescribeInstanceProperties accepts up to 1,000 per page (DescribeInstanceInformation: 50). */
const PROPERTIES_PER_PAGE = 1000;

/**
 * Every registration as the console's node list reads it: DescribeInstanceProperties, 1,000 a
 * page — ~100 calls for 100,000 nodes, where DescribeInstanceInformation takes ~2,000 pages of
 * 50 (or as many id-filtered calls). Its nodes carry what discovery and diagnosis read of a
 * registration (ping status and time, agent version, platform, IAM role) but not
 * `IsLatestVersion`, which the evidence then shows as unknown (null). Stops paging when
 * `stopped()` says the run no longer needs it (the instances could not be read).
 */
async function listProperties(ssm: SSMClient, stopped: () => boolean): Promise<InstanceInformation[]> {
  const registrations: InstanceInformation[] = [];
  for await (const page of paginateDescribeInstanceProperties(
    { client: ssm, pageSize: PROPERTIES_PER_PAGE },
    {},
  )) {
    for (const node of page.InstanceProperties ?? [])
      if (isRegistered(node)) registrations.push(asInformation(node));
    if (stopped()) break;
  }
  return registrations;
}

/**
 * The node list is documented as the console's, not as the registration API: should it ever list
 * a node with no agent ping status (the console also shows EC2 instances it knows of otherwise),
 * that node is not a registration — taking it for one would call a never-registered instance
 * `ConnectionLost` (agent installed) and send a person to the wrong fix.
 */
const REGISTERED_PING = new Set(['Online', 'ConnectionLost', 'Inactive']);
const isRegistered = (node: InstanceProperty) => REGISTERED_PING.has(node.PingStatus ?? '');

/** A node's properties in the shape of DescribeInstanceInformation (same names, same meaning). */
function asInformation(node: InstanceProperty): InstanceInformation {
  return {
    InstanceId: node.InstanceId,
    PingStatus: node.PingStatus,
    LastPingDateTime: node.LastPingDateTime,
    AgentVersion: node.AgentVersion,
    PlatformType: node.PlatformType,
    PlatformName: node.PlatformName,
    PlatformVersion: node.PlatformVersion,
    ActivationId: node.ActivationId,
    IamRole: node.IamRole,
    RegistrationDate: node.RegistrationDate,
    ResourceType: node.ResourceType as InstanceInformation['ResourceType'],
    Name: node.Name,
    IPAddress: node.IPAddress,
    ComputerName: node.ComputerName,
    AssociationStatus: node.AssociationStatus,
    SourceId: node.SourceId,
    SourceType: node.SourceType,
  };
}

/**
 * Where DescribeInstanceProperties cannot be used — denied to this caller (an allow-list that
 * names only `ssm:DescribeInstanceInformation`, an SCP), or not offered in this partition —
 * discovery reads DescribeInstanceInformation instead and says so in the run's errors.
 */
const PROPERTIES_UNAVAILABLE = ['denied', 'UnknownOperationException', 'InvalidAction'] as const;

function fallbackError(error: unknown): RunError {
  const code = errorCode(error);
  return {
    code,
    api: 'ssm:DescribeInstanceProperties',
    message: `Discovery could not read the node list (ssm:DescribeInstanceProperties: ${code}) and listed the registrations with ssm:DescribeInstanceInformation instead: the same registrations, about 20 times the calls (50 a page, not 1,000). Grant ssm:DescribeInstanceProperties to make discovery fast again.`,
  };
}

/**
 * The registrations through DescribeInstanceInformation: the listing (pages of 50, one serial
 * chain), or, for more than `byIdAbove` running instances, by id-filtered chunks in parallel.
 */
function readInformation(
  ssm: SSMClient,
  instances: readonly Instance[],
  byIdAbove: number,
): Promise<InstanceInformation[]> {
  if (instances.length <= byIdAbove) return readRegistrations({ ssm });
  return readRegistrationsOf(
    ssm,
    instances.map((i) => i.InstanceId ?? '').filter((id) => id),
  );
}

/**
 * Both inventories, read side by side: the running instances, and every registration
 * (DescribeInstanceProperties; DescribeInstanceInformation where that is unavailable).
 */
export async function readInventory(
  clients: Pick<AwsClients, 'ec2' | 'ssm'>,
  instanceIds?: string[],
  options: {
    byIdAbove?: number;
    /** Keep only this of each instance while reading (Start run keeps what discovery needs). */
    shape?: InstanceShape;
  } = {},
): Promise<Inventory> {
  let failed = false;
  const listing = listProperties(clients.ssm, () => failed).then(
    (registrations) => ({ registrations, errors: [] as RunError[] }),
    (error: unknown) => {
      if (expectedKind(error, PROPERTIES_UNAVAILABLE))
        return { registrations: undefined, errors: [fallbackError(error)] };
      throw error;
    },
  );
  // Awaited below; handled now, so a listing that fails while the instances are read is not "unhandled".
  listing.catch(() => undefined);
  let instances: Instance[];
  try {
    instances = await readRunningInstances(clients, instanceIds, options.shape);
  } catch (error) {
    failed = true; // no run: stop listing for nothing
    throw error;
  }
  const listed = await listing;
  return {
    instances,
    registrations:
      listed.registrations ??
      (await readInformation(clients.ssm, instances, options.byIdAbove ?? BY_ID_ABOVE)),
    errors: listed.errors,
  };
}

/** DescribeInstanceInformation returns at most 50 per page; asking for 50 ids per call keeps it one page. */
const IDS_PER_CALL = 50;

/** Which of these instances SSM lists as Online now. */
export async function readOnline(
  ssm: SSMClient,
  instanceIds: readonly string[],
): Promise<Readout<Set<string>>> {
  return attempt(
    'DescribeInstanceInformation',
    async () => {
      const online = new Set<string>();
      for (const ids of chunk(instanceIds, IDS_PER_CALL)) {
        // A freshly fixed instance is usually not registered yet: `registeredAmong` leaves such
        // ids out (SSM fails the whole request for them), and an unregistered id is not online.
        for (const info of await registeredAmong(ssm, ids, async () => undefined))
          if (info.PingStatus === 'Online' && info.InstanceId) online.add(info.InstanceId);
      }
      return online;
    },
    DENIED_OR_THROTTLED,
  );
}
