export * from './events';
export * from './registry';
export * from './offerings';
export * from './staff';
export * from './tenders';
export * from './purchase-contracts';
export * from './service-events';
