import { isAbsolute } from "node:path";
import { describe, expect, it } from "vitest";
import { parseAgentConfig } from "../../../agent/agent-config.ts";
import { parseServeConfig } from "../../../coordinator/serve-config.ts";

describe("serve config", () => {
  it("defaults to 127.0.0.1:8080 with data in ./data and an embedded agent", () => {
    const config = parseServeConfig({}, {});
    expect([config.host, config.port, config.embeddedAgent]).toEqual(["127.0.0.1", 8080, true]);
    expect(isAbsolute(config.dataDir) && config.dataDir.endsWith("/data")).toBe(true);
  });

  it("takes flags over environment", () => {
    const config = parseServeConfig(
      { port: "9001", "no-agent": true },
      { PORT: "7000", HOST: "0.0.0.0", BENCH_DATA_DIR: "/srv/b" },
    );
    expect([config.port, config.host, config.dataDir, config.embeddedAgent]).toEqual([
      9001,
      "0.0.0.0",
      "/srv/b",
      false,
    ]);
  });

  it("names the flag of a bad value", () => {
    expect(() => parseServeConfig({ port: "http" }, {})).toThrow("--port (PORT) must be a number");
    expect(() => parseServeConfig({}, { BENCH_OPERATOR_KEY: "short" })).toThrow(
      "BENCH_OPERATOR_KEY must be at least 16",
    );
    expect(() => parseServeConfig({}, { BENCH_AGENT_LOST_S: "0" })).toThrow("BENCH_AGENT_LOST_S must be 1..3600");
  });

  it("gives a disconnected agent 60 s to come back unless BENCH_AGENT_LOST_S says otherwise", () => {
    expect(parseServeConfig({}, {}).agentLostS).toBe(60);
    expect(parseServeConfig({}, { BENCH_AGENT_LOST_S: "2.5" }).agentLostS).toBe(2.5);
  });
});

describe("agent config", () => {
  it("needs the coordinator URL and the token", () => {
    expect(() => parseAgentConfig({ token: "t" }, {})).toThrow("--coordinator");
    expect(() => parseAgentConfig({ coordinator: "http://127.0.0.1:8080" }, {})).toThrow("--token is required");
  });

  it("refuses a non-http coordinator URL", () => {
    expect(() => parseAgentConfig({ coordinator: "ftp://x", token: "t" }, {})).toThrow("http(s) URL");
  });

  it("takes the name from the flag, then the environment", () => {
    const base = { coordinator: "http://127.0.0.1:8080", token: "t" };
    expect(parseAgentConfig({ ...base, name: "lab-2" }, { BENCH_AGENT_NAME: "x" }).name).toBe("lab-2");
    expect(parseAgentConfig(base, { BENCH_AGENT_NAME: "x" }).name).toBe("x");
  });
});
