import { resolve } from 'node:path';

/** The repository root, from src (ts-node/jest) or dist alike. */
export const ROOT = resolve(__dirname, __dirname.includes(`${'/dist/'}`) ? '../../..' : '../..');

export interface ServiceSpec {
  name: 'gateway' | 'identity' | 'keys' | 'ingestion';
  entry: string;
}

/** The four processes of a local stack and their compiled entry points, in start order. */
export const SERVICES: ServiceSpec[] = [
  { name: 'identity', entry: 'dist/services/identity/src/main.js' },
  { name: 'keys', entry: 'dist/services/keys/src/main.js' },
  { name: 'ingestion', entry: 'dist/services/ingestion/src/main.js' },
  { name: 'gateway', entry: 'dist/services/gateway/src/main.js' },
];
