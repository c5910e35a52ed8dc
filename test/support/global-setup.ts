import { mkdirSync, writeFileSync } from 'node:fs';
import { dirname } from 'node:path';
import { STACK_FILE, startStack } from './stack';

/** One running system for every e2e suite: two gateway and two keys replicas behind the same Redis. */
export default async function globalSetup(): Promise<void> {
  const { processes, byLabel: _byLabel, spawnService: _spawnService, ...info } = await startStack({ gateways: 2, keysReplicas: 2, redisDb: 10, name: 'marquee_e2e' });
  for (const child of processes) child.unref();
  mkdirSync(dirname(STACK_FILE), { recursive: true });
  writeFileSync(STACK_FILE, JSON.stringify(info, null, 2));
}
