export * from './roles';
export * from './principal';
export * from './tokens';
export * from './middleware';
export * from './policy';
export * from './authorize';
export * from './dev-login';
export * from './config';
