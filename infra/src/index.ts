/**
 * @linli/infra: the local PostgreSQL, Kafka and Temporal the project runs on, installed and started
 * by the project itself (no Docker). The CLI (`pnpm infra ...`) and the Jest global setup / `pnpm dev`
 * share this API.
 */
export { infraSettings, COMPONENTS, PORT_ENV, VERSIONS, REPO_ROOT } from './settings';
export type { InfraEndpoints, InfraSettings, InfraPaths, ComponentName, PortKey } from './settings';
export { up, down, status, reset, resetTargets, endpointsOf, describeFailures, restartComponent } from './lifecycle';
export type { InfraOptions, ComponentStatus, ComponentState, ResetTarget } from './lifecycle';
export { SERVICE_DATABASES } from './service-databases';
export type { ServiceDatabase } from './service-databases';
export { createTopics, topicCreateRequests } from './components/kafka.component';
export { ensureDatabases } from './components/postgres.component';
export { InfraError, InfraUpError, MissingToolError, PortTakenError } from './errors';
export { freePorts, waitServiceReady } from './local-services';
