export * from './quota-keys';
export * from './periods';
export * from './key-record';
export * from './quota.script';
export * from './key-hash';
export * from './script-pipeline';
