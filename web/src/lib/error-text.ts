// What a failure says to the user: an Error's message (the API client's errors carry the server's
// own words), or the thrown value as text.

export const errorText = (cause: unknown): string => (cause instanceof Error ? cause.message : String(cause));
