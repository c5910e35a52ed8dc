import { BaseEnv, loadEnv } from '@marquee/common';

export class KeysEnv extends BaseEnv {
  override PORT = 3002;
  override SERVICE_NAME = 'keys';
}

export const loadKeysEnv = () => loadEnv(KeysEnv);
