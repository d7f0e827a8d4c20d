export * from './search-attributes';
export * from './connection';
export * from './task-queues';
export * from './lifecycle-client';
