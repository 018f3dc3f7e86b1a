/**
 * The world's `route53` and `route53resolver` sections (world-format.md): private hosted zones
 * with their VPC associations and records, Resolver rules and their VPC associations. Checked for
 * what the simulator and the network checks rely on (ids, VPC ids, record and rule types, target
 * addresses); any other key AWS returns is kept and ignored.
 */
import { isIP } from 'node:net';
import { z } from 'zod';
import { awsObject, expected, id, list } from './world-fields.ts';

const dnsName = z.string(expected('a DNS name such as ssm.eu-west-1.amazonaws.com.')).min(1);
const ipAddress = z
  .string(expected('an IP address'))
  .refine((value) => isIP(value) !== 0, expected('an IP address'));

export interface WorldResourceRecordSet {
  Name: string;
  Type: string;
  TTL?: number;
  SetIdentifier?: string;
  ResourceRecords?: { Value: string }[];
  AliasTarget?: { HostedZoneId?: string; DNSName: string; EvaluateTargetHealth?: boolean };
}
export interface WorldHostedZone {
  Id: string;
  Name: string;
  Config?: { PrivateZone?: boolean; Comment?: string };
  /** Ours: the account that owns the zone, when not the world's (a zone shared by association). */
  Owner?: { OwningAccount?: string };
  VPCs?: { VPCId: string; VPCRegion?: string }[];
  ResourceRecordSets?: WorldResourceRecordSet[];
}
export interface WorldResolverRule {
  Id: string;
  DomainName: string;
  RuleType: 'FORWARD' | 'SYSTEM' | 'RECURSIVE';
  Name?: string;
  Status?: string;
  OwnerId?: string;
  TargetIps?: { Ip?: string; Ipv6?: string; Port?: number }[];
}
export interface WorldResolverRuleAssociation {
  Id?: string;
  ResolverRuleId: string;
  VPCId: string;
  Status?: string;
  Name?: string;
}

const recordSet = awsObject<WorldResourceRecordSet>({
  Name: dnsName,
  Type: z.enum(['A', 'AAAA', 'CNAME', 'NS', 'SOA', 'TXT', 'MX', 'SRV', 'PTR', 'CAA', 'SPF', 'NAPTR', 'DS']),
  TTL: z.number(expected('a TTL in seconds')).int().min(0).optional(),
  ResourceRecords: z.array(z.looseObject({ Value: z.string(expected('a record value')).min(1) })).optional(),
  AliasTarget: z
    .looseObject({
      HostedZoneId: z.string().optional(),
      DNSName: dnsName,
      EvaluateTargetHealth: z.boolean().optional(),
    })
    .optional(),
});

export const route53Section = z.strictObject({
  HostedZones: list(
    awsObject<WorldHostedZone>({
      Id: z
        .string(expected('a hosted zone id such as Z0123456789ABCDEFGHIJ'))
        .regex(/^(\/hostedzone\/)?Z[A-Z0-9]+$/, expected('a hosted zone id such as Z0123456789ABCDEFGHIJ')),
      Name: dnsName,
      Config: z.looseObject({ PrivateZone: z.boolean().optional() }).optional(),
      Owner: z
        .looseObject({
          OwningAccount: z
            .string()
            .regex(/^\d{12}$/, expected('a 12-digit account id'))
            .optional(),
        })
        .optional(),
      VPCs: z
        .array(z.looseObject({ VPCId: id('vpc-', 'a VPC id'), VPCRegion: z.string().optional() }))
        .optional(),
      ResourceRecordSets: z.array(recordSet).optional(),
    }),
  ),
});

export const route53ResolverSection = z.strictObject({
  ResolverRules: list(
    awsObject<WorldResolverRule>({
      Id: id('rslvr-', 'a Resolver rule id such as rslvr-rr-0123456789abcdef0'),
      DomainName: dnsName,
      RuleType: z.enum(['FORWARD', 'SYSTEM', 'RECURSIVE'], expected('FORWARD, SYSTEM or RECURSIVE')),
      TargetIps: z
        .array(
          z.looseObject({
            Ip: ipAddress.optional(),
            Ipv6: ipAddress.optional(),
            Port: z.number().int().min(1).max(65535).optional(),
          }),
        )
        .optional(),
    }),
  ),
  ResolverRuleAssociations: list(
    awsObject<WorldResolverRuleAssociation>({
      ResolverRuleId: id('rslvr-', 'a Resolver rule id'),
      VPCId: id('vpc-', 'a VPC id'),
      Status: z.string().optional(),
    }),
  ),
});
