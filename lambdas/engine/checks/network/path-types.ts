/**
 * The shapes the path resolvers hand to the checks, kept apart from the resolvers so that the
 * modules that build a path and those that read one never import each other.
 */
import type { VpcEndpoint } from '@aws-sdk/client-ec2';
import type { CauseCode } from '../../causes.ts';
import type { NetworkPicture } from '../../facts.ts';
import type { SsmService } from './services.ts';

export type InternetCause =
  | 'ROUTE_MISSING'
  | 'ROUTE_BLACKHOLE'
  | 'PUBLIC_IP_MISSING'
  | 'NAT_GATEWAY_UNAVAILABLE';

export interface InternetPath {
  status: 'ok' | 'none' | 'unknown';
  /** Present when `status` is `none`. */
  cause?: InternetCause;
  /** A clause naming the resources: "route table rtb-1 of subnet subnet-1 has no 0.0.0.0/0 route". */
  detail: string;
  /** The exact change that gives the instance this path (when `none`), or what to verify (`unknown`). */
  fix?: string;
  /** Traffic leaves towards the services' public addresses (true even through a target we cannot follow). */
  towardsInternet: boolean;
  /** More specific routes to public destinations that may take the traffic elsewhere (to verify). */
  detours?: { destination: string; targetId: string }[];
  /** The subnet of the NAT gateway on the way, whose network ACL the traffic crosses too. */
  natSubnetId?: string;
  evidence: Record<string, unknown>;
}

export interface ServicePath {
  service: SsmService;
  hostname: string;
  path: 'endpoint' | 'internet' | 'none' | 'unknown';
  /** The one cause to blame, when `path` is `none`. */
  cause?: CauseCode;
  /** Something to verify on a path that otherwise works (an endpoint policy with conditions). */
  warning?: string;
  /** One human sentence naming the resources. */
  summary: string;
  nextSteps: string[];
  /** Where the traffic goes, for the security group and ACL checks; absent when not known or no path. */
  destination?: 'endpoint' | 'internet';
  /** The endpoint carrying the traffic (`endpoint` path) or the unusable one found. */
  endpoint?: VpcEndpoint;
  internet?: InternetPath;
  /**
   * The picture of the VPC holding `endpoint` when it is not the instance's own (a centralized
   * endpoint answered by a private hosted zone): its security groups, interfaces and ACLs.
   */
  endpointNetwork?: NetworkPicture;
  evidence: Record<string, unknown>;
}
