/**
 * `GET /metrics`: the relay's Prometheus metrics (see observability/metrics.ts), as an HttpFeature.
 * Unauthenticated like most scrape targets: it carries counts only, no session ids, tokens or
 * addresses.
 */
import type { RelayMetrics } from '../../observability/metrics.js';
import type { HttpFeature } from './http-server.js';

export function metricsFeature(metrics: RelayMetrics): HttpFeature {
  return {
    register(app) {
      app.get('/metrics', async (request, reply) => {
        const { contentType, body } = await metrics.render();
        return reply.type(contentType).send(body);
      });
    },
  };
}
