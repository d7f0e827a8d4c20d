export * from './topics';
export * from './events/envelope';
export * from './communities/sub-districts';
export * from './workflows/sub-district-onboarding';
