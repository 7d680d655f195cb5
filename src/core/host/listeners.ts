/**
 * A set of listeners with an unsubscribe handle, for the engine's events.
 *
 * Invariant: a listener that throws does not stop the others nor reach the emitter: the engine's
 * state must stay consistent whatever its observers do.
 */

export class Listeners<A extends unknown[]> {
  private readonly list = new Set<(...args: A) => void>();

  add(listener: (...args: A) => void): () => void {
    this.list.add(listener);
    return () => {
      this.list.delete(listener);
    };
  }

  emit(...args: A): void {
    for (const listener of [...this.list]) {
      try {
        listener(...args);
      } catch {
        // Observers' failures are theirs; the engine carries on (see the invariant above).
      }
    }
  }
}
