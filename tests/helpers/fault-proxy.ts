/**
 * A loopback TCP proxy for fault tests: agents dial it instead of the coordinator, and the test
 * cuts every connection, stalls traffic (held, then delivered) or delays each chunk, the way flaky
 * Wi-Fi, a sleeping laptop or a congested link would.
 */

import type { AddressInfo } from "node:net";
import { connect, createServer, type Socket } from "node:net";

export interface FaultProxy {
  /** http://127.0.0.1:<port>: give this to agents as the coordinator */
  url: string;
  /** resets every open connection at once (both ends see an abrupt close) */
  cutAll(): void;
  /** holds all traffic in both directions for `ms`, then lets it through in order */
  stall(ms: number): void;
  /** delays every chunk by `ms` from now on (0: none) */
  delay(ms: number): void;
  /** connections opened so far */
  connections(): number;
  close(): Promise<void>;
}

export async function startFaultProxy(target: string): Promise<FaultProxy> {
  const { hostname, port } = new URL(target);
  const pairs = new Set<[Socket, Socket]>();
  let opened = 0;
  let heldUntil = 0;
  let delayMs = 0;

  /** forwards chunks in order, each after the current delay and any stall */
  function forward(from: Socket, to: Socket): void {
    let chain = Promise.resolve();
    from.on("data", (chunk) => {
      chain = chain.then(async () => {
        const wait = Math.max(delayMs, heldUntil - Date.now());
        if (wait > 0) await new Promise((resolve) => setTimeout(resolve, wait));
        if (!to.destroyed) to.write(chunk);
      });
    });
    from.on("close", () => void chain.then(() => to.destroy()));
    from.on("error", () => to.destroy());
  }

  const server = createServer((client) => {
    opened += 1;
    const upstream = connect(Number(port), hostname);
    const pair: [Socket, Socket] = [client, upstream];
    pairs.add(pair);
    forward(client, upstream);
    forward(upstream, client);
    const drop = () => pairs.delete(pair);
    client.on("close", drop);
    upstream.on("close", drop);
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  return {
    url: `http://127.0.0.1:${(server.address() as AddressInfo).port}`,
    cutAll() {
      for (const [client, upstream] of pairs) {
        client.resetAndDestroy();
        upstream.resetAndDestroy();
      }
      pairs.clear();
    },
    stall(ms) {
      heldUntil = Date.now() + ms;
    },
    delay(ms) {
      delayMs = ms;
    },
    connections: () => opened,
    close: () =>
      new Promise<void>((resolve) => {
        for (const [client, upstream] of pairs) {
          client.destroy();
          upstream.destroy();
        }
        server.close(() => resolve());
      }),
  };
}
