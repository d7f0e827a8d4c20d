export * from './sub-districts';
export * from './events';
export * from './communities';
export * from './needs';
export * from './fairs';
export * from './prices';
export * from './proposals';
export * from './service-events';
