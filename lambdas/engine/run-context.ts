/** What every part of one run shares: where it runs, when, and with which settings. */
import type { Settings } from './settings.ts';

export interface RunContext {
  accountId: string;
  partition: string;
  region: string;
  now: Date;
  settings: Settings;
}
