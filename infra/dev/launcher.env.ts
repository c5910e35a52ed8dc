import { BaseEnv, loadEnv } from '@marquee/common';

export class LauncherEnv extends BaseEnv {
  override SERVICE_NAME = 'launcher';
  override LOG_FORMAT: 'pretty' | 'json' = 'pretty';
}

export const loadLauncherEnv = () => loadEnv(LauncherEnv);
