// A coloured pill for any status word (run, lane or agent); the colour comes from styles.css.
export function StatusBadge(props: { status: string; testId?: string }) {
  return (
    <span class={`badge badge-${props.status}`} data-testid={props.testId}>
      {props.status}
    </span>
  );
}
