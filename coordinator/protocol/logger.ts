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
/** `text`: `time level scope: message {fields}` for a terminal; `json`: one JSON object a line for log collectors */
export type LogFormat = "text" | "json";
const rank: Record<LogLevel, number> = { info: 0, warn: 1, error: 2, silent: 3 };

/**
 * A line-per-entry logger writing to the given sink (stderr by default). A JSON line is
 * `{ "time", "level", "scope", "msg", ...fields }`; fields never replace those four.
 */
export function createLogger(
  scope: string,
  options: { level?: LogLevel; format?: LogFormat; write?: (line: string) => void } = {},
): Logger {
  const level = options.level ?? "info";
  const write = options.write ?? ((line: string) => process.stderr.write(`${line}\n`));
  const entry = (at: Exclude<LogLevel, "silent">) => (message: string, fields?: Record<string, unknown>) => {
    if (rank[at] < rank[level]) return;
    const time = new Date().toISOString();
    if (options.format === "json") {
      write(JSON.stringify({ ...fields, time, level: at, scope, msg: message }));
      return;
    }
    const extra = fields && Object.keys(fields).length > 0 ? ` ${JSON.stringify(fields)}` : "";
    write(`${time} ${at.padEnd(5)} ${scope}: ${message}${extra}`);
  };
  return { info: entry("info"), warn: entry("warn"), error: entry("error") };
}

/** A logger that drops everything, for tests. */
export const silentLogger: Logger = { info() {}, warn() {}, error() {} };
