export * from './sub-districts';
export * from './events';
