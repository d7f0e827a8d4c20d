export * from './databases';
export * from './wait-for';
export * from './tokens';
export * from './system';
export * from './lifecycle-driver';
export * from './planted-numbers';
