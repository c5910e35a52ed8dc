import { resolve } from 'node:path';

/** The repository root, from src (ts-node/jest) or dist alike. */
export const ROOT = resolve(__dirname, __dirname.includes(`${'/dist/'}`) ? '../../..' : '../..');

export interface ServiceSpec {
  name: 'gateway' | 'identity' | 'keys' | 'ingestion';
  port: number;
  entry: string;
}

/** The four processes of a local stack; each one's compiled entry point and default port. */
export const SERVICES: ServiceSpec[] = [
  { name: 'identity', port: 3001, entry: 'dist/services/identity/src/main.js' },
  { name: 'keys', port: 3002, entry: 'dist/services/keys/src/main.js' },
  { name: 'ingestion', port: 3003, entry: 'dist/services/ingestion/src/main.js' },
  { name: 'gateway', port: 3000, entry: 'dist/services/gateway/src/main.js' },
];
