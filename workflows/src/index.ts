export { createLifecycleWorker } from './worker';
export { loadWorkerConfig, type WorkerConfig } from './config';
