/**
 * Why a request got no answer, in the short form users know from their terminal: Node's fetch
 * hides the system error code (ECONNREFUSED, ENOTFOUND, ...) in `cause`.
 */

/** The system error code behind a failed fetch, else its message. */
export function fetchFailureReason(err: unknown): string {
  if (err instanceof Error) {
    if (err.name === "AbortError" || err.name === "TimeoutError") return "aborted";
    const cause: unknown = err.cause;
    if (cause && typeof cause === "object") {
      if ("code" in cause && typeof cause.code === "string") return cause.code;
      if (cause instanceof Error) return cause.message;
    }
    return err.message;
  }
  return String(err);
}
