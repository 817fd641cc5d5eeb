// A one-line description of a run's workload parameters for headings and lists:
// `{ algorithm: "segmented_sieve", n: 1e8, threads: 2 }` -> "segmented_sieve · n = 100,000,000 · 2 threads".
import { formatInteger } from "./format.ts";

export function describeParams(params: Record<string, unknown>): string {
  const parts: string[] = [];
  if (typeof params.algorithm === "string") parts.push(params.algorithm);
  if (typeof params.n === "number") parts.push(`n = ${formatInteger(params.n)}`);
  if (typeof params.threads === "number") parts.push(`${params.threads} thread${params.threads === 1 ? "" : "s"}`);
  if (typeof params.prompt === "string") parts.push(`“${params.prompt.slice(0, 40)}”`);
  return parts.length > 0 ? parts.join(" · ") : "default parameters";
}
