/**
 * The logger every part takes by injection. It lives beside the protocol because agent, rooms,
 * hosts and API all import it, and the protocol is the one leaf they share.
 */
export interface Logger {
  info(message: string, fields?: Record<string, unknown>): void;
  warn(message: string, fields?: Record<string, unknown>): void;
  error(message: string, fields?: Record<string, unknown>): void;
}

export type LogLevel = "info" | "warn" | "error" | "silent";
const rank: Record<LogLevel, number> = { info: 0, warn: 1, error: 2, silent: 3 };

/** A line-per-entry logger writing `time level scope message {fields}` to the given sink (stderr by default). */
export function createLogger(
  scope: string,
  options: { level?: LogLevel; write?: (line: string) => void } = {},
): Logger {
  const level = options.level ?? "info";
  const write = options.write ?? ((line: string) => process.stderr.write(`${line}\n`));
  const entry = (at: Exclude<LogLevel, "silent">) => (message: string, fields?: Record<string, unknown>) => {
    if (rank[at] < rank[level]) return;
    const extra = fields && Object.keys(fields).length > 0 ? ` ${JSON.stringify(fields)}` : "";
    write(`${new Date().toISOString()} ${at.padEnd(5)} ${scope}: ${message}${extra}`);
  };
  return { info: entry("info"), warn: entry("warn"), error: entry("error") };
}

/** A logger that drops everything, for tests. */
export const silentLogger: Logger = { info() {}, warn() {}, error() {} };
