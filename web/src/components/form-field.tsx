// A form field with its label and, when the form's check failed on it, the message beside it
// (highlighted, and tied to the input for screen readers). The new-race sections and the Settings
// page share it; `prefix` keeps ids apart between forms on one page.
import { type JSX, Show } from "solid-js";

/** The input's id: `${prefix}-${name}`. */
export const fieldId = (prefix: string, name: string): string => `${prefix}-${name}`;
/** The message's id, for the input's aria-describedby. */
export const fieldErrorId = (prefix: string, name: string): string => `${prefix}-${name}-error`;

export function FormField(props: {
  prefix: string;
  name: string;
  label: string;
  error: string | undefined;
  wide?: boolean;
  children: JSX.Element;
}) {
  return (
    <div class="field" classList={{ invalid: props.error !== undefined, wide: props.wide === true }}>
      <label for={fieldId(props.prefix, props.name)}>{props.label}</label>
      {props.children}
      <Show when={props.error}>
        {(message) => (
          <span
            class="field-error"
            id={fieldErrorId(props.prefix, props.name)}
            data-testid={`field-error-${props.name}`}
          >
            {message()}
          </span>
        )}
      </Show>
    </div>
  );
}

/** The attributes that tie an input to its field: id, invalid state and the message it is described by. */
export const fieldInputProps = (prefix: string, name: string, error: string | undefined) => ({
  id: fieldId(prefix, name),
  name,
  "aria-invalid": error !== undefined,
  "aria-describedby": error === undefined ? undefined : fieldErrorId(prefix, name),
});

export function NumberField(props: {
  prefix: string;
  name: string;
  label: string;
  value: string;
  onInput(value: string): void;
  error: string | undefined;
}) {
  return (
    <FormField prefix={props.prefix} name={props.name} label={props.label} error={props.error}>
      <input
        {...fieldInputProps(props.prefix, props.name, props.error)}
        inputmode="decimal"
        value={props.value}
        onInput={(event) => props.onInput(event.currentTarget.value)}
      />
    </FormField>
  );
}
