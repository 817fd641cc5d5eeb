// The API names a failing field at the start of its message ("list: line 2: ...", "repeats: ...",
// see parse-or-throw.ts); a form shows that message beside the field instead of above the form.

/** The field the message names and the rest of it, or null when it names none of `fields`. */
export function apiFieldError<F extends string>(
  message: string,
  fields: readonly F[],
): { field: F; message: string } | null {
  const field = fields.find((name) => message.startsWith(`${name}: `) || message.startsWith(`${name}[`));
  if (field === undefined) return null;
  return { field, message: message.startsWith(`${field}: `) ? message.slice(field.length + 2) : message };
}
