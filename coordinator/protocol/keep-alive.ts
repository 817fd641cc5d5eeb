/**
 * The heartbeat both ends of every room socket run: a WebSocket ping every `intervalMs`, and a
 * socket that has not answered the previous ping by the next one is cut. A sleeping laptop or a
 * dead NAT mapping never closes TCP by itself; this notices it within two intervals, and the
 * agent's reconnect (or the room's lost-lane timer) takes over from there.
 */

/** The part of a `ws` WebSocket the heartbeat uses. */
export interface PingableSocket {
  ping(): void;
  terminate(): void;
  on(event: "pong" | "close", listener: () => void): unknown;
}

/** 15 s: a silent peer is cut within 30 s, long before TCP would notice. */
export const keepAliveIntervalMs = 15_000;

/** Starts the heartbeat on an open socket; it stops by itself when the socket closes. */
export function keepAlive(socket: PingableSocket, intervalMs = keepAliveIntervalMs): void {
  let answered = true;
  const timer = setInterval(() => {
    if (!answered) {
      clearInterval(timer);
      socket.terminate();
      return;
    }
    answered = false;
    socket.ping();
  }, intervalMs);
  if (typeof timer === "object") timer.unref?.();
  socket.on("pong", () => {
    answered = true;
  });
  socket.on("close", () => clearInterval(timer));
}
