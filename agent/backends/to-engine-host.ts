/**
 * Whether an HTTP engine runs on this machine or another: a race of "this box" that really ran
 * on a server across the network must say so in its provenance.
 */
import type { EngineInfo } from "./backend.ts";

/** `remote_engine` is true unless the URL's host is loopback (127.0.0.0/8, ::1, localhost). */
export function toEngineHost(baseUrl: string): Pick<EngineInfo, "remote_engine" | "engine_host"> {
  const url = new URL(baseUrl);
  return { remote_engine: !isLoopback(url.hostname), engine_host: url.host };
}

function isLoopback(hostname: string): boolean {
  const host = hostname.toLowerCase().replace(/^\[(.*)\]$/, "$1");
  return host === "localhost" || host.endsWith(".localhost") || host === "::1" || /^127(\.\d{1,3}){3}$/.test(host);
}
