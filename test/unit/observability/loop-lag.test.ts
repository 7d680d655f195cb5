// The event-loop lag gauge reports the delay beyond the histogram's own sampling interval: an
// idle relay is not 20 ms late, and a scrape with no sample since the previous one reads 0.
import { describe, expect, it } from 'vitest';
import { RelayMetrics } from '../../../src/server/observability/metrics.js';
import { waitFor } from '../../helpers/wait.js';

const metrics = new RelayMetrics();

function lag(text: string, stat: string): number {
  return Number(new RegExp(`^tmate_relay_event_loop_lag_seconds\\{stat="${stat}"\\} (\\S+)$`, 'm').exec(text)?.[1] ?? NaN);
}

describe('event-loop lag', () => {
  it('reads the excess over the sampling interval, and 0 with no new sample', async () => {
    // Samples accumulate while this process idles between scrapes (every 20 ms one).
    const idle = await waitFor(
      async () => {
        const text = (await metrics.render()).body;
        return lag(text, 'max') > 0 ? text : undefined;
      },
      { timeoutMs: 5000, describe: () => 'a scrape with samples' },
    );
    expect(lag(idle, 'p50')).toBeLessThan(0.01);
    const again = (await metrics.render()).body;
    expect([lag(again, 'p50'), lag(again, 'p99'), lag(again, 'max')]).toEqual([0, 0, 0]);
    metrics.close();
  });
});
