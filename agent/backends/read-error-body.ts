/**
 * The message inside an engine's HTTP error answer. Engines disagree on the shape: Ollama sends
 * `{"error": "..."}`, llama.cpp and OpenAI `{"error": {"message": ...}}`, vLLM `{"message": ...}`,
 * FastAPI servers `{"detail": ...}`; anything else is shown as text.
 */

/** Longest error text kept from a body, in characters. */
const maxChars = 500;

export async function readErrorBody(response: Response): Promise<string> {
  const text = await response.text().catch(() => "");
  return messageOf(text) ?? (text.trim().slice(0, maxChars) || `HTTP ${response.status} ${response.statusText}`.trim());
}

function messageOf(text: string): string | null {
  let body: unknown;
  try {
    body = JSON.parse(text);
  } catch {
    return null;
  }
  if (!body || typeof body !== "object") return null;
  const record = body as Record<string, unknown>;
  const error = record.error;
  if (typeof error === "string") return error;
  if (error && typeof error === "object" && "message" in error && typeof error.message === "string") {
    return error.message;
  }
  if (typeof record.message === "string") return record.message;
  if (typeof record.detail === "string") return record.detail;
  return null;
}
