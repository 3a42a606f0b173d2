/**
 * An HTTP server that gives every connection a deadline for its request headers.
 *
 * `Deno.serve` waits for ever for a client that opens a connection and never finishes its
 * headers (a "slowloris" client): enough of them hold every connection the process can open,
 * and it has no option to stop that. So the public port is a small relay in front of it: each
 * connection must deliver a complete header block (up to the blank line, at most 64 KB) within
 * the deadline, or it is closed; then its bytes flow both ways between the client and a
 * `Deno.serve` listening on a loopback port, and a connection that stays silent in both
 * directions for as long as the deadline is closed too.
 *
 * @module
 */

/** A running server: where it listens, a promise that settles when it stops, and the stop. */
export interface RunningServer {
  addr: Deno.NetAddr;
  finished: Promise<void>;
  shutdown(): Promise<void>;
}

/** What {@linkcode serveWithDeadline} needs. */
export interface DeadlineServerOptions {
  hostname: string;
  port: number;
  /** Milliseconds a connection may take to send its request headers, or stay silent. */
  headerTimeout: number;
  handler: (request: Request) => Response | Promise<Response>;
  /** The answer when `handler` throws. */
  onError: () => Response;
}

/** The most header bytes a client may send before the blank line that ends them. */
const MAX_HEADER_BYTES = 64 * 1024;
const END_OF_HEADERS = new TextEncoder().encode("\r\n\r\n");

/**
 * Listens on `hostname`:`port` (0: any free port) and answers requests with `handler`.
 *
 * @example
 * ```ts
 * const server = serveWithDeadline({
 *   hostname: "127.0.0.1", port: 0, headerTimeout: 10_000,
 *   handler: () => new Response("hello"), onError: () => new Response("error", { status: 500 }),
 * });
 * await (await fetch(`http://127.0.0.1:${server.addr.port}/`)).text(); // "hello"
 * await server.shutdown();
 * ```
 */
export function serveWithDeadline(options: DeadlineServerOptions): RunningServer {
  const inner = Deno.serve(
    { hostname: "127.0.0.1", port: 0, onListen: () => {}, onError: options.onError },
    options.handler,
  );
  const listener = Deno.listen({ hostname: options.hostname, port: options.port });
  const open = new Set<Deno.Conn>();
  let stopping = false;
  const accepting = (async () => {
    try {
      for await (const client of listener) {
        open.add(client);
        relay(client, inner.addr, options.headerTimeout, open).finally(() => open.delete(client));
      }
    } catch (error) {
      if (!stopping) throw error;
    }
  })();
  const finished = Promise.all([accepting, inner.finished]).then(() => {});
  return {
    addr: listener.addr,
    finished,
    async shutdown() {
      stopping = true;
      listener.close();
      for (const connection of open) closeQuietly(connection);
      await inner.shutdown();
      await finished;
    },
  };
}

/** Serves one client connection through the inner server, under the deadline. */
async function relay(
  client: Deno.Conn,
  inner: Deno.NetAddr,
  timeout: number,
  open: Set<Deno.Conn>,
): Promise<void> {
  let upstream: Deno.Conn | undefined;
  let lastActivity = performance.now();
  const watchdog = setInterval(() => {
    if (performance.now() - lastActivity > timeout) {
      closeQuietly(client);
      if (upstream) closeQuietly(upstream);
    }
  }, Math.max(10, timeout / 4));
  try {
    const head = await readHeaders(client, timeout);
    if (head === undefined) return;
    upstream = await Deno.connect({ hostname: inner.hostname, port: inner.port });
    open.add(upstream);
    await writeAll(upstream, head);
    const touch = () => lastActivity = performance.now();
    touch();
    await Promise.all([pump(client, upstream, touch), pump(upstream, client, touch)]);
  } catch {
    // A client that resets or goes silent ends only its own connection.
  } finally {
    clearInterval(watchdog);
    closeQuietly(client);
    if (upstream) {
      closeQuietly(upstream);
      open.delete(upstream);
    }
  }
}

/**
 * The bytes up to and including the first blank line (and whatever came with them), or
 * undefined if the client closed, sent more than 64 KB first, or was too slow.
 */
async function readHeaders(client: Deno.Conn, timeout: number): Promise<Uint8Array | undefined> {
  const late = setTimeout(() => closeQuietly(client), timeout);
  try {
    let received = new Uint8Array(0);
    const buffer = new Uint8Array(16 * 1024);
    while (received.length <= MAX_HEADER_BYTES) {
      const n = await client.read(buffer).catch(() => null);
      if (n === null) return undefined;
      const searchFrom = Math.max(0, received.length - END_OF_HEADERS.length + 1);
      const joined = new Uint8Array(received.length + n);
      joined.set(received);
      joined.set(buffer.subarray(0, n), received.length);
      received = joined;
      if (indexOf(received, END_OF_HEADERS, searchFrom) !== -1) return received;
    }
    return undefined;
  } finally {
    clearTimeout(late);
  }
}

function indexOf(haystack: Uint8Array, needle: Uint8Array, from: number): number {
  outer: for (let i = from; i + needle.length <= haystack.length; i++) {
    for (let j = 0; j < needle.length; j++) if (haystack[i + j] !== needle[j]) continue outer;
    return i;
  }
  return -1;
}

/** Copies `from` to `to` until `from` ends, then ends the writing half of `to`. */
async function pump(from: Deno.Conn, to: Deno.Conn, touch: () => void): Promise<void> {
  const buffer = new Uint8Array(64 * 1024);
  for (let n; (n = await from.read(buffer)) !== null;) {
    touch();
    await writeAll(to, buffer.subarray(0, n));
  }
  await to.closeWrite().catch(() => {});
}

async function writeAll(to: Deno.Conn, bytes: Uint8Array): Promise<void> {
  for (let written = 0; written < bytes.length;) {
    written += await to.write(bytes.subarray(written));
  }
}

function closeQuietly(connection: Deno.Conn): void {
  try {
    connection.close();
  } catch {
    // already closed
  }
}
