/**
 * What `npm start` prints: the dashboard link, the enrollment token, and a command that adds a
 * machine. Other machines can only join a coordinator bound to all interfaces, so bound to
 * 0.0.0.0 the command names this machine's LAN address; bound to loopback it says how to open up.
 */
import type { NetworkInterfaceInfo } from "node:os";
import { bindsAllInterfaces, lanAddress, reachableUrl } from "./reachable-url.ts";

export interface ServeBannerInput {
  /** the URL the server listens on, e.g. http://127.0.0.1:8080 */
  url: string;
  /** the --host it is bound to */
  host: string;
  /** the port it listens on */
  port: number;
  /** --public-url, when given: the address others reach it by */
  publicUrl?: string;
  operatorKey: string;
  agentToken: string;
  dataDir: string;
  /** "name (id)" of the embedded agent, or null with --no-agent */
  embeddedAgent: string | null;
  interfaces: NodeJS.Dict<NetworkInterfaceInfo[]>;
}

export function toServeBanner(input: ServeBannerInput): string {
  const lan = bindsAllInterfaces(input.host) ? lanAddress(input.interfaces) : null;
  const reachable = input.publicUrl || reachableUrl(input);
  const lines = [
    "",
    `bench-race is running (local mode, data in ${input.dataDir})`,
    `  Dashboard (operator):  ${input.url}/login?key=${encodeURIComponent(input.operatorKey)}`,
    `  Agent enrollment token: ${input.agentToken}`,
    `  Add a machine:          npm run agent -- --coordinator ${reachable} --token ${input.agentToken} --name <machine name>`,
  ];
  if (!input.publicUrl && !bindsAllInterfaces(input.host)) {
    lines.push(
      `  Serve the lab:          bound to ${input.host}, so only this machine can join; to let others in: npm start -- --host 0.0.0.0`,
    );
  } else if (!input.publicUrl && lan === null) {
    lines.push("  Serve the lab:          no LAN address found: use an address of this machine that others can reach");
  }
  lines.push(
    input.embeddedAgent
      ? `  Embedded agent:         ${input.embeddedAgent}`
      : "  Embedded agent:         off (--no-agent)",
    "",
  );
  return lines.join("\n");
}
