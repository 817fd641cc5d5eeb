/**
 * Where the store lives, from DATABASE_URL: unset, better-sqlite3 on `<data dir>/bench-race.db`
 * (local mode's default); `file:PATH`, libSQL's engine on that file; `libsql://HOST` (or
 * https://), a managed libSQL database, kept as an embedded replica in the data dir that libSQL
 * syncs with it (writes go to the remote primary, reads are local). The schema is the same.
 */
import { isAbsolute, join, resolve } from "node:path";

export type DatabaseLocation =
  | { engine: "better-sqlite3"; file: string }
  | { engine: "libsql"; file: string; syncUrl?: string; authToken?: string };

export function parseDatabaseUrl(url: string | undefined, dataDir: string, authToken?: string): DatabaseLocation {
  if (!url) return { engine: "better-sqlite3", file: join(dataDir, "bench-race.db") };
  if (url.startsWith("file:")) {
    const path = decodeURIComponent(url.slice("file:".length).replace(/^\/\/(?=\/)/, ""));
    if (path === "") throw new Error("DATABASE_URL file: needs a path, e.g. file:data/bench-race.db");
    return { engine: "libsql", file: isAbsolute(path) ? path : resolve(path) };
  }
  if (/^(libsql|https?|wss?):\/\//.test(url)) {
    return { engine: "libsql", file: join(dataDir, "bench-race-replica.db"), syncUrl: url, authToken };
  }
  throw new Error(
    `DATABASE_URL ${url} is not a libSQL URL: use file:PATH for a local file or libsql://HOST for a managed database (leave it unset for the default SQLite file in the data dir).`,
  );
}
