import { resolve } from 'node:path';

/** The repository root, from src (ts-node/jest) or dist alike. */
export const ROOT = resolve(__dirname, __dirname.includes(`${'/dist/'}`) ? '../../..' : '../..');

export interface ServiceSpec {
  name: 'gateway' | 'identity' | 'keys' | 'ingestion';
  entry: string;
  /** Node flags before the entry point. */
  nodeArgs?: string[];
}

/** The four processes of a local stack and their compiled entry points, in start order. */
export const SERVICES: ServiceSpec[] = [
  { name: 'identity', entry: 'dist/services/identity/src/main.js' },
  { name: 'keys', entry: 'dist/services/keys/src/main.js' },
  // The import worker's live data is bounded by design (one batch in flight); without a cap V8
  // lets garbage pile up to ~330 MB RSS on a 1M-row import before a full GC, with it ~200 MB.
  { name: 'ingestion', entry: 'dist/services/ingestion/src/main.js', nodeArgs: ['--max-old-space-size=192'] },
  { name: 'gateway', entry: 'dist/services/gateway/src/main.js' },
];
