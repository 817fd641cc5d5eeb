import type { NetworkInterfaceInfo } from "node:os";
import { describe, expect, it } from "vitest";
import { lanAddress, reachableUrl } from "../../../coordinator/reachable-url.ts";
import { type ServeBannerInput, toServeBanner } from "../../../coordinator/serve-banner.ts";

const entry = (address: string, family: "IPv4" | "IPv6", internal: boolean): NetworkInterfaceInfo =>
  ({
    address,
    family,
    internal,
    netmask: "",
    mac: "",
    cidr: null,
    ...(family === "IPv6" ? { scopeid: 0 } : {}),
  }) as NetworkInterfaceInfo;

const interfaces = {
  lo: [entry("127.0.0.1", "IPv4", true), entry("::1", "IPv6", true)],
  eth0: [entry("fe80::1", "IPv6", false), entry("192.168.1.23", "IPv4", false)],
  wlan0: [entry("10.0.0.7", "IPv4", false)],
};

const base: ServeBannerInput = {
  url: "http://127.0.0.1:8080",
  host: "127.0.0.1",
  port: 8080,
  operatorKey: "key/with+chars",
  agentToken: "tok123",
  dataDir: "data",
  embeddedAgent: "box (a1)",
  interfaces,
};

const line = (banner: string, label: string) => banner.split("\n").find((text) => text.startsWith(`  ${label}:`));

describe("lanAddress", () => {
  it("picks the first non-internal IPv4 address", () => {
    expect(lanAddress(interfaces)).toBe("192.168.1.23");
  });
  it("is null with loopback only", () => {
    expect(lanAddress({ lo: interfaces.lo })).toBeNull();
  });
});

describe("reachableUrl", () => {
  it("names the LAN address when bound to all interfaces, so share links work from other machines", () => {
    const input = { url: "http://0.0.0.0:8080", host: "0.0.0.0", port: 8080, interfaces };
    expect(reachableUrl(input)).toBe("http://192.168.1.23:8080");
    expect(reachableUrl({ ...input, interfaces: { lo: interfaces.lo } })).toBe("http://0.0.0.0:8080");
    expect(reachableUrl({ ...input, url: "http://127.0.0.1:8080", host: "127.0.0.1" })).toBe("http://127.0.0.1:8080");
  });
});

describe("toServeBanner", () => {
  it("bound to loopback, says only this machine can join and how to serve the lab", () => {
    const banner = toServeBanner(base);
    expect(line(banner, "Dashboard (operator)")).toBe(
      "  Dashboard (operator):  http://127.0.0.1:8080/login?key=key%2Fwith%2Bchars",
    );
    expect(line(banner, "Add a machine")).toBe(
      "  Add a machine:          npm run agent -- --coordinator http://127.0.0.1:8080 --token tok123 --name <machine name>",
    );
    expect(line(banner, "Serve the lab")).toBe(
      "  Serve the lab:          bound to 127.0.0.1, so only this machine can join; to let others in: npm start -- --host 0.0.0.0",
    );
    expect(line(banner, "Embedded agent")).toBe("  Embedded agent:         box (a1)");
  });

  it("bound to 0.0.0.0, puts the LAN address in the add-a-machine command", () => {
    const banner = toServeBanner({ ...base, url: "http://0.0.0.0:8080", host: "0.0.0.0" });
    expect(line(banner, "Add a machine")).toBe(
      "  Add a machine:          npm run agent -- --coordinator http://192.168.1.23:8080 --token tok123 --name <machine name>",
    );
    expect(line(banner, "Serve the lab")).toBeUndefined();
  });

  it("bound to 0.0.0.0 with no LAN address, says to pick a reachable one", () => {
    const banner = toServeBanner({
      ...base,
      url: "http://0.0.0.0:8080",
      host: "0.0.0.0",
      interfaces: { lo: interfaces.lo },
    });
    expect(line(banner, "Add a machine")).toContain("--coordinator http://0.0.0.0:8080 ");
    expect(line(banner, "Serve the lab")).toBe(
      "  Serve the lab:          no LAN address found: use an address of this machine that others can reach",
    );
  });

  it("with --public-url, names that address", () => {
    const banner = toServeBanner({ ...base, host: "0.0.0.0", publicUrl: "https://bench.example.org" });
    expect(line(banner, "Add a machine")).toContain("--coordinator https://bench.example.org ");
    expect(line(banner, "Serve the lab")).toBeUndefined();
  });

  it("says when the embedded agent is off", () => {
    expect(line(toServeBanner({ ...base, embeddedAgent: null }), "Embedded agent")).toBe(
      "  Embedded agent:         off (--no-agent)",
    );
  });
});
