/**
 * Keeps the architecture true: which folder may import which (STYLE.md). Scans every import
 * specifier of the source folders and names each one that crosses a boundary.
 */
import { readdirSync, readFileSync } from "node:fs";
import { dirname, join, relative, resolve } from "node:path";
import { describe, expect, it } from "vitest";

const root = resolve(import.meta.dirname, "../..");

function sourceFiles(dir: string): string[] {
  return readdirSync(join(root, dir), { withFileTypes: true }).flatMap((entry) => {
    const path = join(dir, entry.name);
    if (entry.isDirectory()) return entry.name === "dist" || entry.name === "migrations" ? [] : sourceFiles(path);
    return /\.(ts|tsx)$/.test(entry.name) ? [path] : [];
  });
}

/** Every import of a file: the specifier, and the repo folder it lands in when relative. */
function importsOf(file: string): Array<{ spec: string; target: string | null }> {
  const text = readFileSync(join(root, file), "utf8");
  const found = [...text.matchAll(/^\s*(?:import|export)\s+(?:[^;]*?from\s+)?"([^"]+)"/gm)];
  return found.map((m) => {
    const spec = m[1] ?? "";
    const target = spec.startsWith(".") ? relative(root, resolve(root, dirname(file), spec)) : null;
    return { spec, target };
  });
}

/** Folder -> the repo folders and packages its imports may reach. */
const rules: Array<{ dir: string; ours: string[]; packages: RegExp }> = [
  { dir: "coordinator/protocol", ours: ["coordinator/protocol", "package.json"], packages: /^zod$/ },
  { dir: "coordinator/room", ours: ["coordinator/room", "coordinator/protocol"], packages: /^zod$/ },
  {
    dir: "coordinator/hosts",
    ours: ["coordinator/hosts", "coordinator/room", "coordinator/protocol"],
    packages: /^(node:|hono|@hono\/node-server|partykit\/server$)/,
  },
  {
    dir: "coordinator/api",
    ours: ["coordinator/api", "coordinator/protocol", "db"],
    packages: /^(node:|hono|zod$)/,
  },
  {
    dir: "db",
    ours: ["db", "coordinator/protocol"],
    packages: /^(node:|drizzle-orm|drizzle-kit$|better-sqlite3$|libsql$)/,
  },
  {
    dir: "agent",
    ours: ["agent", "coordinator/protocol"],
    packages: /^(node:|zod$|ws$|partysocket$|systeminformation$)/,
  },
  { dir: "web/src", ours: ["web/src", "coordinator/protocol"], packages: /^(solid-js|@solidjs\/router$|zod$)/ },
];

describe("import boundaries", () => {
  for (const rule of rules) {
    it(`${rule.dir} imports only what it may`, () => {
      const crossings = sourceFiles(rule.dir).flatMap((file) =>
        importsOf(file)
          .filter(({ spec, target }) =>
            target === null
              ? !rule.packages.test(spec)
              : !rule.ours.some((allowed) => target === allowed || target.startsWith(`${allowed}/`)),
          )
          .map(({ spec }) => `${file} -> ${spec}`),
      );
      expect(crossings).toEqual([]);
    });
  }
});
