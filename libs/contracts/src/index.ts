export * from './queues';
export * from './paging';
export * from './keys.contract';
export * from './identity.contract';
export * from './ingestion.contract';
