// The race's share link with a copy button: anyone holding it can watch, read-only.
import { createSignal } from "solid-js";

export function ShareBox(props: { url: string }) {
  const [copied, setCopied] = createSignal<string | null>(null);
  const absolute = () => new URL(props.url, window.location.origin).href;
  const copy = async () => {
    try {
      await navigator.clipboard.writeText(absolute());
      setCopied("Copied");
    } catch {
      setCopied("Copy failed: select the link and copy it by hand");
    }
  };
  return (
    <div class="share-box">
      <label for="share-link">Share link (read-only)</label>
      <div class="share-row">
        <input
          id="share-link"
          data-testid="share-link"
          readonly
          value={absolute()}
          onFocus={(event) => event.currentTarget.select()}
        />
        <button type="button" onClick={copy}>
          Copy
        </button>
      </div>
      <span class="muted" aria-live="polite">
        {copied()}
      </span>
    </div>
  );
}
