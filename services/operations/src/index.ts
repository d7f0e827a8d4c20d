export { startOperationsService, MIGRATIONS_DIR, CONSOLE_DIST } from './start';
export { loadOperationsConfig, OperationsConfigSchema, type OperationsConfig } from './config';
