export * from './mikro-orm.config';
export * from './cli/migrate';
export * from './sql';
export * from './binary-copy';
export * from './index-statistics';
