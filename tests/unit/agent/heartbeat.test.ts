import type { AddressInfo } from "node:net";
import { afterEach, describe, expect, it, vi } from "vitest";
import { WebSocketServer } from "ws";
import { heartbeatWebSocket } from "../../../agent/heartbeat-web-socket.ts";
import { keepAlive } from "../../../coordinator/protocol/keep-alive.ts";

function fakeSocket() {
  const listeners: Record<string, Array<() => void>> = {};
  return {
    pings: 0,
    terminated: false,
    ping() {
      this.pings++;
    },
    terminate() {
      this.terminated = true;
    },
    on(event: string, listener: () => void) {
      listeners[event] = [...(listeners[event] ?? []), listener];
    },
    emit(event: string) {
      for (const listener of listeners[event] ?? []) listener();
    },
  };
}

describe("heartbeat", () => {
  afterEach(() => vi.useRealTimers());

  it("pings every interval and keeps a socket that answers", () => {
    vi.useFakeTimers();
    const socket = fakeSocket();
    keepAlive(socket, 1000);
    for (let i = 0; i < 5; i++) {
      vi.advanceTimersByTime(1000);
      socket.emit("pong");
    }
    expect(socket.pings).toBe(5);
    expect(socket.terminated).toBe(false);
  });

  it("cuts a socket that did not answer the previous ping by the next one, and stops pinging once closed", () => {
    vi.useFakeTimers();
    const socket = fakeSocket();
    keepAlive(socket, 1000);
    vi.advanceTimersByTime(1000);
    expect(socket.terminated).toBe(false);
    vi.advanceTimersByTime(1000);
    expect(socket.terminated).toBe(true);
    const closed = fakeSocket();
    keepAlive(closed, 1000);
    closed.emit("close");
    vi.advanceTimersByTime(5000);
    expect(closed.pings).toBe(0);
  });

  it("lets an agent notice a coordinator that went silent, without waiting for TCP", async () => {
    // a server that keeps the connection but never answers a ping, like a dead NAT mapping
    const server = new WebSocketServer({ port: 0, host: "127.0.0.1", autoPong: false });
    await new Promise((resolve) => server.once("listening", resolve));
    const HeartbeatWebSocket = heartbeatWebSocket(30);
    const ws = new HeartbeatWebSocket(`ws://127.0.0.1:${(server.address() as AddressInfo).port}`);
    const code = await new Promise<number>((resolve) => ws.on("close", (closeCode) => resolve(closeCode)));
    expect(code).toBe(1006);
    server.close();
  });
});
