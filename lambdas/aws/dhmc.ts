/** Default Host Management Configuration: one service setting and one role per run. */
import { GetServiceSettingCommand, type SSMClient } from '@aws-sdk/client-ssm';
import type { DhmcPicture } from '../engine/facts.ts';
import { type Readout, readOk } from '../engine/readout.ts';
import { attempt, DENIED_OR_THROTTLED } from './errors.ts';
import { type IamReader, type RoleRequirement, roleNameOf } from './iam.ts';

export const DHMC_SETTING_ID = '/ssm/managed-instance/default-ec2-instance-management-role';

export async function readDhmc(
  ssm: SSMClient,
  iam: IamReader,
  requirement: RoleRequirement,
): Promise<Readout<DhmcPicture>> {
  const setting = await attempt(
    'GetServiceSetting',
    () => ssm.send(new GetServiceSettingCommand({ SettingId: DHMC_SETTING_ID })),
    [...DENIED_OR_THROTTLED, 'ServiceSettingNotFound'],
  );
  // A setting never written reads as its default, `$None` (DHMC off).
  if (!setting.ok && setting.problem.kind === 'gone') return readOk({ settingValue: '$None' });
  if (!setting.ok) return setting;
  const settingValue = setting.value.ServiceSetting?.SettingValue ?? '$None';
  if (settingValue === '$None') return readOk({ settingValue });
  return readOk({ settingValue, role: await iam.roleByName(roleNameOf(settingValue), requirement) });
}
