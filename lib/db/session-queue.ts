import type { PGlite } from "@electric-sql/pglite";

interface Pending {
  handlerId: number;
  message: Uint8Array;
  onData(data: Uint8Array): void;
  resolve(bytes: number): void;
  reject(error: Error): void;
}

const READY_FOR_QUERY = 0x5a; // 'Z'
const IDLE = 0x49; // 'I'
const SYNC = new Uint8Array([0x53, 0, 0, 0, 4]);

/** Undoes what a client may have changed in the one session: settings, role. */
export const SESSION_RESET_SQL = "SET SESSION AUTHORIZATION DEFAULT; RESET ALL";

/** SESSION_RESET_SQL as a simple Query message, run without PGlite's file sync (it writes no data): 0.02 ms. */
function queryMessage(sql: string): Uint8Array {
  const body = Buffer.from(`${sql}\0`);
  const message = Buffer.alloc(5 + body.length);
  message[0] = 0x51; // 'Q'
  message.writeInt32BE(4 + body.length, 1);
  body.copy(message, 5);
  return new Uint8Array(message);
}
const RESET = queryMessage(SESSION_RESET_SQL);

/** True when the answer ends with ReadyForQuery saying idle: no transaction, no half-done extended query or COPY. */
function endsIdle(tail: Uint8Array): boolean {
  if (tail.length < 6) return false;
  const at = tail.length - 6;
  return tail[at] === READY_FOR_QUERY && tail[at + 4] === 5 && tail[at + 5] === IDLE;
}

/**
 * The queue pglite-socket's connection handlers feed, in place of its own. PGlite is one Postgres session, so
 * a connection keeps it from its first message until the server answers idle (its Parse/Bind/Execute and
 * transactions are never interleaved with another's), and the session is reset whenever another connection
 * takes it: a client's `SET search_path = ''` ends with its turn and never reaches the application's queries.
 */
export class SessionQueue {
  #queue: Pending[] = [];
  #draining = false;
  #owner: number | null = null;
  #lastHandler: number | null = null;

  constructor(private readonly db: PGlite) {}

  enqueue(handlerId: number, message: Uint8Array, onData: (data: Uint8Array) => void): Promise<number> {
    return new Promise((resolve, reject) => {
      this.#queue.push({ handlerId, message, onData, resolve, reject });
      void this.#drain();
    });
  }

  getQueueLength(): number {
    return this.#queue.length;
  }

  clearQueueForHandler(handlerId: number): void {
    for (const item of this.#queue.filter((q) => q.handlerId === handlerId))
      item.reject(new Error("Handler disconnected"));
    this.#queue = this.#queue.filter((q) => q.handlerId !== handlerId);
  }

  /** A connection that left mid-query or mid-transaction: end what it started and let the others in. */
  async clearTransactionIfNeeded(handlerId: number): Promise<void> {
    if (this.#owner !== handlerId) return;
    await this.db.runExclusive(() => this.db.execProtocolRawStream(SYNC, { onRawData: () => undefined }));
    if (this.db.isInTransaction()) await this.db.exec("ROLLBACK");
    this.#owner = null;
    await this.#drain();
  }

  #next(): Pending | undefined {
    if (this.#owner === null) return this.#queue.shift();
    const index = this.#queue.findIndex((q) => q.handlerId === this.#owner);
    return index < 0 ? undefined : this.#queue.splice(index, 1)[0];
  }

  async #drain(): Promise<void> {
    if (this.#draining) return;
    this.#draining = true;
    try {
      for (let item = this.#next(); item; item = this.#next()) await this.#run(item);
    } finally {
      this.#draining = false;
    }
  }

  async #run(item: Pending): Promise<void> {
    try {
      if (this.#lastHandler !== item.handlerId) {
        await this.db.runExclusive(() =>
          this.db.execProtocolRawStream(RESET, { syncToFs: false, onRawData: () => undefined }),
        );
        this.#lastHandler = item.handlerId;
      }
      let bytes = 0;
      let tail = new Uint8Array(0);
      await this.db.runExclusive(() =>
        this.db.execProtocolRawStream(item.message, {
          onRawData: (data) => {
            bytes += data.length;
            tail = Buffer.concat([tail, data.subarray(-6)]).subarray(-6);
            item.onData(data);
          },
        }),
      );
      // A connection that ends (Terminate) inside a transaction keeps the session until its handler rolls back.
      this.#owner = endsIdle(tail) ? null : item.handlerId;
      item.resolve(bytes);
    } catch (error) {
      item.reject(error instanceof Error ? error : new Error(String(error)));
    }
  }
}
