/**
 * The address other machines reach this coordinator by, when no --public-url says it: bound to
 * all interfaces, this machine's LAN address (share links and the add-a-machine command must not
 * say 0.0.0.0); bound to one address, that address.
 */
import type { NetworkInterfaceInfo } from "node:os";

const allInterfaces = new Set(["0.0.0.0", "::", "[::]"]);

/** Whether `host` binds every interface. */
export const bindsAllInterfaces = (host: string): boolean => allInterfaces.has(host);

/** The first non-internal IPv4 address, as `os.networkInterfaces()` lists them; null if none. */
export function lanAddress(interfaces: NodeJS.Dict<NetworkInterfaceInfo[]>): string | null {
  for (const entries of Object.values(interfaces)) {
    const found = entries?.find((entry) => entry.family === "IPv4" && !entry.internal);
    if (found) return found.address;
  }
  return null;
}

export interface ReachableUrlInput {
  /** the URL the server listens on, e.g. http://0.0.0.0:8080 */
  url: string;
  /** the --host it is bound to */
  host: string;
  port: number;
  interfaces: NodeJS.Dict<NetworkInterfaceInfo[]>;
}

/** `http://<LAN address>:<port>` when bound to all interfaces and one is found, else the listening URL. */
export function reachableUrl(input: ReachableUrlInput): string {
  const lan = bindsAllInterfaces(input.host) ? lanAddress(input.interfaces) : null;
  return lan ? `http://${lan}:${input.port}` : input.url;
}
