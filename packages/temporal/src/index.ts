export * from './search-attributes';
export * from './payload-codec';
export * from './codec-config';
export * from './connection';
export * from './task-queues';
export * from './lifecycle-client';
export * from './lifecycle-bridge';
export * from './start-lifecycle-bridge';
