/** The end of every pass: its terminal event type, and how a pass or a prepare ends when its signal aborted. */
import type { JobError } from "../../coordinator/protocol/job.ts";
import type { WorkloadEvent } from "./backend.ts";

/** `result` or `error`: exactly one ends every pass. */
export type TerminalEvent = Extract<WorkloadEvent, { type: "result" | "error" }>;

export const cancelledError: JobError = { code: "cancelled", message: "The pass was cancelled." };

export const passCancelled: TerminalEvent = { type: "error", error: cancelledError };
