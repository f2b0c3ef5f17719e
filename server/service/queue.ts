// The bounded scan queue: at most `concurrency` scans run, at most `capacity` wait, and one more is refused at
// once (the route answers 429 with Retry-After) rather than piling up memory and latency.

/** The queue is full: the caller answers 429. */
export class QueueFull extends Error {
  /** Creates the error. */
  constructor() {
    super('the scan queue is full; retry later');
  }
}

/** A slot the caller holds while its scan runs; `release` frees it for the next waiting scan. */
export interface Slot {
  /** Gives the slot back (idempotent). */
  release(): void;
}

interface Waiter {
  grant: (slot: Slot) => void;
  fail: (e: Error) => void;
  signal?: AbortSignal;
  onAbort?: () => void;
}

/** A counting semaphore with a bounded wait list. */
export class ScanQueue {
  private running = 0;
  private readonly waiting: Waiter[] = [];

  /** Creates the queue. */
  constructor(
    readonly concurrency: number,
    readonly capacity: number,
  ) {}

  /** Scans waiting for a slot. */
  get depth(): number {
    return this.waiting.length;
  }

  /** Scans holding a slot. */
  get active(): number {
    return this.running;
  }

  /**
   * Waits for a slot. Throws QueueFull at once when the wait list is full; rejects with the signal's reason when
   * the caller gives up while waiting (the client disconnected or cancelled).
   */
  acquire(signal?: AbortSignal): Promise<Slot> {
    if (this.running < this.concurrency) {
      this.running++;
      return Promise.resolve(this.slot());
    }
    if (this.waiting.length >= this.capacity) return Promise.reject(new QueueFull());
    return new Promise<Slot>((grant, fail) => {
      const w: Waiter = { grant, fail, ...(signal ? { signal } : {}) };
      if (signal) {
        w.onAbort = () => {
          const i = this.waiting.indexOf(w);
          if (i >= 0) this.waiting.splice(i, 1);
          fail(new Error('cancelled while queued'));
        };
        signal.addEventListener('abort', w.onAbort, { once: true });
      }
      this.waiting.push(w);
    });
  }

  private slot(): Slot {
    let done = false;
    return {
      release: () => {
        if (done) return;
        done = true;
        const next = this.waiting.shift();
        if (next) {
          if (next.onAbort) next.signal?.removeEventListener('abort', next.onAbort);
          next.grant(this.slot());
        } else this.running--;
      },
    };
  }
}
