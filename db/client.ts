/**
 * Opens the SQLite database and brings its schema up to date with the committed migrations.
 * `:memory:` gives a fresh database for tests. The engine is better-sqlite3, or libSQL's own (the
 * `libsql` package, the engine under @libsql/client, with better-sqlite3's synchronous API, so
 * drizzle's driver and every query stay the same) for DATABASE_URL file: and libsql://
 * (database-url.ts).
 */
import { mkdirSync } from "node:fs";
import { dirname } from "node:path";
import { fileURLToPath } from "node:url";
import Database from "better-sqlite3";
import { type BetterSQLite3Database, drizzle } from "drizzle-orm/better-sqlite3";
import { migrate } from "drizzle-orm/better-sqlite3/migrator";
import Libsql from "libsql";
import type { DatabaseLocation } from "./database-url.ts";
import * as schema from "./schema.ts";

export type Db = BetterSQLite3Database<typeof schema> & { $client: Database.Database };

export interface OpenDatabase {
  db: Db;
  sqlite: Database.Database;
  close(): void;
}

const migrationsFolder = fileURLToPath(new URL("./migrations", import.meta.url));

/** How often an embedded replica pulls the remote primary's changes, in seconds. */
const replicaSyncPeriodS = 5;

/** Opens (creating its folder) and migrates the database at `file`, or at a `DatabaseLocation`. */
export function openDatabase(where: string | DatabaseLocation): OpenDatabase {
  const location: DatabaseLocation = typeof where === "string" ? { engine: "better-sqlite3", file: where } : where;
  const { file } = location;
  if (file !== ":memory:") mkdirSync(dirname(file), { recursive: true });
  const sqlite = location.engine === "better-sqlite3" ? new Database(file) : openLibsql(location);
  sqlite.pragma("journal_mode = WAL");
  // with WAL, NORMAL is durable across crashes of the process; only a power loss can drop the last commits
  sqlite.pragma("synchronous = NORMAL");
  sqlite.pragma("foreign_keys = ON");
  sqlite.pragma("busy_timeout = 5000");
  const db = drizzle(sqlite, { schema });
  migrate(db, { migrationsFolder });
  return { db, sqlite, close: () => sqlite.close() };
}

/**
 * libSQL's engine declares better-sqlite3's types as its own (libsql/types) but leaves out its
 * replica options; the one cast here is that shared API.
 */
function openLibsql(location: Extract<DatabaseLocation, { engine: "libsql" }>): Database.Database {
  const options = location.syncUrl
    ? { syncUrl: location.syncUrl, authToken: location.authToken ?? "", syncPeriod: replicaSyncPeriodS }
    : {};
  const sqlite = new Libsql(location.file, options) as unknown as Database.Database;
  if (location.syncUrl) (sqlite as unknown as { sync(): unknown }).sync();
  return sqlite;
}
