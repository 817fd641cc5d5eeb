// @vitest-environment jsdom
/**
 * Lints the deployment files no engine here runs (no Docker, systemd or launchd in CI): each parses,
 * starts the real command, and names only settings the project reads (each listed in .env.example).
 */
import { existsSync, readFileSync } from "node:fs";
import { join, resolve } from "node:path";
import { describe, expect, it } from "vitest";

const root = resolve(import.meta.dirname, "../../..");
const read = (path: string) => readFileSync(join(root, path), "utf8");
const documented = new Set([...read(".env.example").matchAll(/^(BENCH_\w+|PORT|HOST)=/gm)].map((m) => m[1]));
const settingsIn = (text: string) => [...new Set([...text.matchAll(/\b(BENCH_[A-Z_]+)\b/g)].map((m) => m[1]))];

/** systemd unit files: `[Section]` headers and `Key=Value` lines; comments and blanks ignored. */
function parseUnit(text: string): Map<string, Map<string, string[]>> {
  const sections = new Map<string, Map<string, string[]>>();
  let current: Map<string, string[]> | null = null;
  for (const [index, raw] of text.split("\n").entries()) {
    const line = raw.trim();
    if (line === "" || line.startsWith("#") || line.startsWith(";")) continue;
    const header = /^\[(\w+)\]$/.exec(line);
    if (header?.[1]) {
      current = new Map();
      sections.set(header[1], current);
      continue;
    }
    const pair = /^([A-Za-z]+)=(.*)$/.exec(line);
    if (!pair?.[1] || pair[2] === undefined || !current)
      throw new Error(`line ${index + 1} is not Key=Value in a section: ${raw}`);
    current.set(pair[1], [...(current.get(pair[1]) ?? []), pair[2]]);
  }
  return sections;
}

/** The YAML compose.yaml uses: nested maps by two-space indent, `- item` lists, JSON flow values, `key: {}`. */
function parseYaml(text: string): unknown {
  const lines = text
    .split("\n")
    .filter((line) => line.trim() !== "" && !line.trim().startsWith("#"))
    .map((line) => ({ indent: line.length - line.trimStart().length, text: line.trim() }));
  let at = 0;
  const scalar = (value: string): unknown => {
    if (value.startsWith("[") || value.startsWith("{")) return JSON.parse(value);
    return value.replace(/^"(.*)"$/, "$1");
  };
  const block = (indent: number): unknown => {
    if (lines[at]?.text.startsWith("- ")) {
      const list: unknown[] = [];
      while (lines[at]?.indent === indent && lines[at]?.text.startsWith("- "))
        list.push(scalar(lines[at++]!.text.slice(2)));
      return list;
    }
    const map: Record<string, unknown> = {};
    while (lines[at] && lines[at]!.indent === indent) {
      const match = /^([\w.-]+):(?:\s+(.*))?$/.exec(lines[at]!.text);
      if (!match?.[1]) throw new Error(`cannot read YAML line: ${lines[at]!.text}`);
      at++;
      map[match[1]] = match[2] !== undefined ? scalar(match[2]) : block(lines[at]?.indent ?? indent);
    }
    return map;
  };
  return block(0);
}

describe("deployment files", () => {
  for (const [file, command] of [
    ["ops/systemd/bench-race-agent.service", "agent"],
    ["ops/systemd/bench-race-coordinator.service", "serve"],
  ] as const) {
    it(`${file} is a complete unit that runs bench-race ${command}`, () => {
      const unit = parseUnit(read(file));
      expect([...unit.keys()]).toEqual(["Unit", "Service", "Install"]);
      const service = unit.get("Service");
      expect(service?.get("ExecStart")?.[0]).toMatch(new RegExp(`node bin/bench-race\\.mjs ${command}\\b`));
      expect(existsSync(join(root, "bin/bench-race.mjs"))).toBe(true);
      expect(service?.get("Restart")).toEqual(["on-failure"]);
      expect(service?.get("Environment")).toContain("BENCH_LOG_FORMAT=json");
      expect(unit.get("Install")?.get("WantedBy")).toEqual(["multi-user.target"]);
      expect(settingsIn(read(file)).filter((name) => !documented.has(name))).toEqual([]);
    });
  }

  it("the launchd plist is well-formed and runs bench-race agent with documented settings", () => {
    const text = read("ops/launchd/org.bench-race.agent.plist");
    const doc = new DOMParser().parseFromString(text, "text/xml");
    expect(doc.getElementsByTagName("parsererror")).toHaveLength(0);
    const dict = doc.querySelector("plist > dict");
    const children = [...(dict?.children ?? [])];
    const entries = new Map<string, Element>();
    for (let i = 0; i < children.length; i += 2) {
      expect(children[i]?.tagName).toBe("key");
      entries.set(children[i]?.textContent ?? "", children[i + 1] as Element);
    }
    expect(entries.get("Label")?.textContent).toBe("org.bench-race.agent");
    const args = [...(entries.get("ProgramArguments")?.children ?? [])].map((el) => el.textContent);
    expect(args.slice(1)).toEqual(["bin/bench-race.mjs", "agent"]);
    expect(entries.get("RunAtLoad")?.tagName).toBe("true");
    expect(settingsIn(text).filter((name) => !documented.has(name))).toEqual([]);
  });

  it("the Dockerfile builds the web app and runs bench-race serve on the exposed port with data in a volume", () => {
    const lines = read("Dockerfile")
      .split("\n")
      .filter((line) => line.trim() !== "" && !line.startsWith("#"));
    const keywords = /^(FROM|WORKDIR|RUN|COPY|ENV|VOLUME|EXPOSE|USER|HEALTHCHECK|ENTRYPOINT|CMD|ARG|LABEL)\b/;
    expect(lines.filter((line) => !keywords.test(line))).toEqual([]);
    expect(lines[0]).toMatch(/^FROM node:20\.\d+/);
    expect(lines).toContain("RUN npm run build:web");
    expect(lines.find((line) => line.startsWith("ENTRYPOINT"))).toBe('ENTRYPOINT ["node", "bin/bench-race.mjs"]');
    expect(lines.find((line) => line.startsWith("CMD"))).toBe('CMD ["serve", "--no-agent"]');
    const env = lines.find((line) => line.startsWith("ENV ")) ?? "";
    expect(env).toContain("PORT=8080");
    expect(env).toContain("BENCH_DATA_DIR=/data");
    expect(lines).toContain("EXPOSE 8080");
    expect(lines).toContain("VOLUME /data");
    for (const line of lines.filter((l) => l.startsWith("COPY ") && !l.includes("--from"))) {
      for (const source of line.split(/\s+/).slice(1, -1)) expect(existsSync(join(root, source))).toBe(true);
    }
  });

  it("compose.yaml builds this repo, publishes the port, keeps data in a named volume, and passes documented settings", () => {
    const compose = parseYaml(read("compose.yaml")) as {
      services: Record<
        string,
        { build: string; ports: string[]; volumes: string[]; environment: Record<string, string>; command: string[] }
      >;
      volumes: Record<string, unknown>;
    };
    const coordinator = compose.services.coordinator;
    expect(coordinator?.build).toBe(".");
    expect(coordinator?.command).toEqual(["serve", "--no-agent"]);
    expect(coordinator?.ports).toEqual(["8080:8080"]);
    const [volume, mountedAt] = coordinator?.volumes[0]?.split(":") ?? [];
    expect(mountedAt).toBe("/data");
    expect(Object.keys(compose.volumes)).toEqual([volume]);
    expect(Object.keys(coordinator?.environment ?? {}).filter((name) => !documented.has(name))).toEqual([]);
  });
});
