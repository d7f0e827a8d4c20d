export * from './topics';
export * from './events/envelope';
export * from './common/domain';
export * from './communities';
export * from './organizations';
export * from './payments';
export * from './supervision';
export * from './workflows/sub-district-onboarding';
