// Serialises the vault's writes, and reruns an index write that lost a race with another writer.
import { VaultError } from './errors';
import { msg } from '../i18n';

/** Thrown inside a write when another writer changed the same index; the operation reruns. */
export class RetrySignal extends Error {}

export class OpQueue {
  private queue: Promise<unknown> = Promise.resolve();

  exclusive<T>(work: () => Promise<T>): Promise<T> {
    const run = this.queue.then(work, work);
    this.queue = run.catch(() => undefined);
    return run;
  }

  /** A write that reads an index, computes, then commits: serialised here, retried on a concurrent writer. */
  writeOp<T>(work: () => Promise<T>): Promise<T> {
    return this.exclusive(async () => {
      for (let attempt = 0; ; attempt++) {
        try {
          return await work();
        } catch (error) {
          if (!(error instanceof RetrySignal)) throw error;
          if (attempt >= 10) throw new VaultError('conflict', msg('errKeptChanging'));
          // Random backoff so that competing writers (another worker instance) stop colliding.
          await new Promise((resolve) => setTimeout(resolve, Math.random() * 5 * (attempt + 1)));
        }
      }
    });
  }
}
