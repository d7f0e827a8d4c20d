export * from './databases';
export * from './wait-for';
export * from './tokens';
