// Streamed llm text that grows by appending only the new suffix to one DOM text node, so a long
// answer is never re-rendered whole; any other change (a new pass, the front trimmed) replaces it.
// It follows the end as text arrives until the reader scrolls up, and again once they scroll back down.
import { createEffect, on } from "solid-js";

/** Pixels from the bottom that still count as "at the bottom". */
const bottomSlack = 8;

export function StreamingText(props: { text: string; class?: string; testId?: string }) {
  const node = document.createTextNode("");
  let box: HTMLPreElement | undefined;
  let shown = "";
  let following = true;

  const atBottom = (el: HTMLElement) => el.scrollHeight - el.scrollTop - el.clientHeight <= bottomSlack;

  createEffect(
    on(
      () => props.text,
      (text) => {
        if (text.length >= shown.length && text.startsWith(shown)) node.appendData(text.slice(shown.length));
        else node.data = text;
        shown = text;
        if (following && box) box.scrollTop = box.scrollHeight;
      },
    ),
  );

  return (
    <pre
      ref={box}
      class={props.class}
      data-testid={props.testId}
      onScroll={(event) => {
        following = atBottom(event.currentTarget);
      }}
    >
      {node}
    </pre>
  );
}
