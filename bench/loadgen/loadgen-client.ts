/**
 * The bench's side of the load generator: bench/loadgen/main.ts in its own Node process
 * (forked-load.ts: bounded by --max-seconds, stopped by the bench's cleanup stack whatever
 * happens), one method per command.
 */
import { ForkedLoad } from './forked-load.js';
import type { LoadCommand, LoadStats, SetupResult, StreamSpec } from './protocol.js';

export class LoadGenerator {
  private constructor(private readonly process: ForkedLoad<LoadCommand>) {}

  static start(maxSeconds: number): LoadGenerator {
    return new LoadGenerator(ForkedLoad.start<LoadCommand>(new URL('./main.ts', import.meta.url), maxSeconds, 'load generator'));
  }

  hosts(port: number, count: number, streaming: number, stream: StreamSpec, size: { cols: number; rows: number }): Promise<SetupResult> {
    return this.process.send({ type: 'hosts', port, count, streaming, stream, cols: size.cols, rows: size.rows });
  }

  viewers(port: number, keyPath: string, targets: { user: string; command: string | null }[], size: { cols: number; rows: number }): Promise<SetupResult> {
    return this.process.send({ type: 'viewers', port, keyPath, targets, cols: size.cols, rows: size.rows });
  }

  /** Starts every host created with streaming (they stay quiet until then, so setup is not slowed down). */
  startStreaming(): Promise<null> {
    return this.process.send({ type: 'stream', on: true });
  }

  stopStreaming(): Promise<null> {
    return this.process.send({ type: 'stream', on: false });
  }

  stats(): Promise<LoadStats> {
    return this.process.send({ type: 'stats' });
  }

  stop(): Promise<void> {
    return this.process.stop();
  }
}
