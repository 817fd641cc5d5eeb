// Number, size, duration and time formatting for the pages, plus parsing of number inputs that
// people type as "100,000,000" or "1e8". Kept pure so the tests can pin every output.

const grouped = new Intl.NumberFormat("en-US", { maximumFractionDigits: 0 });

/** 5761455 -> "5,761,455" (rounded to a whole number). */
export function formatInteger(value: number): string {
  return grouped.format(value);
}

/** A measurement with at most `fractionDigits` decimals and separators: 1234.567 -> "1,234.6". */
export function formatDecimal(value: number, fractionDigits = 1): string {
  return new Intl.NumberFormat("en-US", { maximumFractionDigits: fractionDigits }).format(value);
}

/** A place in words: 1 -> "1st", 2 -> "2nd", 11 -> "11th", 23 -> "23rd". */
export function ordinal(place: number): string {
  const tens = place % 100;
  if (tens >= 11 && tens <= 13) return `${place}th`;
  const suffixes: Record<number, string> = { 1: "st", 2: "nd", 3: "rd" };
  return `${place}${suffixes[place % 10] ?? "th"}`;
}

/** Large rates in short form: 12_345_678 -> "12.3 M". */
export function formatRate(perSecond: number): string {
  const units: [number, string][] = [
    [1e12, "T"],
    [1e9, "G"],
    [1e6, "M"],
    [1e3, "k"],
  ];
  for (const [size, unit] of units) {
    if (Math.abs(perSecond) >= size) return `${formatDecimal(perSecond / size, 2)} ${unit}`;
  }
  return formatDecimal(perSecond, 1);
}

/** Milliseconds to a readable duration: 850 -> "850 ms", 1234 -> "1.23 s", 125000 -> "2 min 5 s". */
export function formatDuration(ms: number): string {
  if (!Number.isFinite(ms)) return "—";
  if (Math.abs(ms) < 1000) return `${formatDecimal(ms, 1)} ms`;
  const seconds = ms / 1000;
  if (seconds < 60) return `${seconds.toFixed(2)} s`;
  const totalSeconds = Math.round(seconds);
  const hours = Math.floor(totalSeconds / 3600);
  const minutes = Math.floor((totalSeconds % 3600) / 60);
  const rest = totalSeconds % 60;
  return hours > 0 ? `${hours} h ${minutes} min` : `${minutes} min ${rest} s`;
}

/** A race clock: 4230 -> "4.2 s", 83400 -> "1:23.4", 3723000 -> "1:02:03". */
export function formatClock(ms: number): string {
  const tenths = Math.floor(ms / 100);
  const seconds = Math.floor(tenths / 10);
  if (seconds < 60) return `${seconds}.${tenths % 10} s`;
  const minutes = Math.floor(seconds / 60);
  const pad = (value: number) => String(value).padStart(2, "0");
  if (minutes < 60) return `${minutes}:${pad(seconds % 60)}.${tenths % 10}`;
  return `${Math.floor(minutes / 60)}:${pad(minutes % 60)}:${pad(seconds % 60)}`;
}

/** Bytes in binary units: 17179869184 -> "16 GiB". */
export function formatBytes(bytes: number): string {
  const units = ["B", "KiB", "MiB", "GiB", "TiB"];
  let value = bytes;
  let unit = 0;
  while (value >= 1024 && unit < units.length - 1) {
    value /= 1024;
    unit++;
  }
  return `${formatDecimal(value, 1)} ${units[unit]}`;
}

/** An ISO time or epoch milliseconds as local date and time; "—" when absent. */
export function formatTime(value: string | number | null): string {
  if (value === null) return "—";
  const date = new Date(value);
  if (Number.isNaN(date.getTime())) return "—";
  return date.toLocaleString(undefined, { dateStyle: "medium", timeStyle: "medium" });
}

/**
 * Reads a typed number: thousands separators (",", "_", spaces) are ignored and exponent form
 * is accepted, so "100,000,000", "1e8" and "1_000" all parse. Returns null for anything else.
 */
export function parseNumberInput(text: string): number | null {
  const cleaned = text.trim().replace(/[,_\s]/g, "");
  if (cleaned === "" || !/^[+-]?(\d+\.?\d*|\.\d+)(e[+-]?\d+)?$/i.test(cleaned)) return null;
  const value = Number(cleaned);
  return Number.isFinite(value) ? value : null;
}

/** A prompt as a heading quotes it: its first 40 characters, with an ellipsis when there are more. */
export function quotePrompt(prompt: string): string {
  return `“${prompt.length > 40 ? `${prompt.slice(0, 40)}…` : prompt}”`;
}
