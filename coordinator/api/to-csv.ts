/**
 * RFC 4180 CSV: CRLF line ends, a field quoted when it holds a comma, quote, CR or LF, quotes
 * doubled. Text that a spreadsheet would run as a formula (=, +, -, @, tab, CR first) gets a
 * leading apostrophe, since agent names come from whoever runs an agent.
 */

export type CsvValue = string | number | boolean | null | undefined;

export function toCsvField(value: CsvValue): string {
  if (value === null || value === undefined) return "";
  const text = typeof value === "string" && /^[=+\-@\t\r]/.test(value) ? `'${value}` : String(value);
  return /[",\r\n]/.test(text) ? `"${text.replaceAll('"', '""')}"` : text;
}

/** A header row of `columns`, then one row per record, each line ended by CRLF. */
export function toCsv(columns: readonly string[], rows: readonly Readonly<Record<string, CsvValue>>[]): string {
  const lines = [columns.map(toCsvField).join(",")];
  for (const row of rows) lines.push(columns.map((column) => toCsvField(row[column])).join(","));
  return `${lines.join("\r\n")}\r\n`;
}
