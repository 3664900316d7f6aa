/**
 * One budget for the server's CPU-heavy work: PBKDF2 and key pairs (Toolkit), and the scrypt check
 * of a hash an earlier server stored (login, password change, account deletion: auth/password.ts).
 * Each such job takes seconds of a core or hundreds of milliseconds on the thread pool; without a process-wide bound, a few accounts asking for them at
 * once starve every other request, sign-ins included (resource exhaustion, CWE-400; OWASP API
 * Security Top 10 2023, API4 "Unrestricted Resource Consumption").
 *
 * `slots` jobs run at once; `queue` more wait, first come first served, sign-in work ahead of the
 * rest. Other work may fill only half the queue, so Toolkit calls cannot crowd out
 * the people signing in. Past that the answer is 503 with Retry-After, before any work is done.
 */
import { ApiError } from './errors';

/** `sign-in`: login, password change, account deletion. `other`: the Toolkit. */
export type CpuPriority = 'sign-in' | 'other';

/** Seconds a queued job is expected to wait, per job ahead of it per slot: a large PBKDF2, or a scrypt at N=2^17. */
const SECONDS_PER_JOB = 1;

export class CpuBudget {
  private running = 0;
  private readonly waiting: Record<CpuPriority, (() => void)[]> = { 'sign-in': [], other: [] };

  constructor(
    readonly slots: number,
    readonly queue: number,
  ) {}

  private get queued(): number {
    return this.waiting['sign-in'].length + this.waiting.other.length;
  }

  /** Runs `job` when a slot is free; throws 503 at once when the queue (its share of it) is full. */
  async run<T>(priority: CpuPriority, job: () => Promise<T>): Promise<T> {
    if (this.running < this.slots && this.queued === 0) {
      this.running++;
    } else {
      const room = priority === 'sign-in' ? this.queue : Math.floor(this.queue / 2);
      if (this.queued >= room) {
        const retryAfter = Math.ceil(((this.queued + 1) / this.slots) * SECONDS_PER_JOB);
        throw new ApiError(503, 'overloaded', 'The server is busy with other sign-ins and key work. Try again shortly.', {
          'Retry-After': String(Math.max(1, retryAfter)),
        });
      }
      // The slot is handed over by release(), already counted as running.
      await new Promise<void>((resolve) => this.waiting[priority].push(resolve));
    }
    try {
      return await job();
    } finally {
      this.release();
    }
  }

  private release(): void {
    const next = this.waiting['sign-in'].shift() ?? this.waiting.other.shift();
    if (next) next();
    else this.running--;
  }
}
