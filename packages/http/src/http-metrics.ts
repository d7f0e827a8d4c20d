import client from 'prom-client';

/**
 * One prom-client Registry per app (not the global one), so several apps can live in one process — the tests
 * start many — without "metric already registered" clashes.
 */
export function createHttpMetrics(serviceName: string) {
  const registry = new client.Registry();
  registry.setDefaultLabels({ service: serviceName });
  client.collectDefaultMetrics({ register: registry });

  const requestsTotal = new client.Counter({
    name: 'http_requests_total',
    help: 'HTTP requests answered, by method, route template and status',
    labelNames: ['method', 'route', 'status'] as const,
    registers: [registry],
  });
  const requestDuration = new client.Histogram({
    name: 'http_request_duration_seconds',
    help: 'Time from receiving an HTTP request to finishing its response, by method, route template and status',
    labelNames: ['method', 'route', 'status'] as const,
    buckets: [0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10],
    registers: [registry],
  });

  return {
    registry,
    /** `route` must be the template (`/projects/:id`), never the raw URL: raw URLs explode label cardinality. */
    observe(labels: { method: string; route: string; status: number }, seconds: number) {
      const values = { method: labels.method, route: labels.route, status: String(labels.status) };
      requestsTotal.inc(values);
      requestDuration.observe(values, seconds);
    },
  };
}
