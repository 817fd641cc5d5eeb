// Shown for any path the app does not know.
import { A } from "@solidjs/router";

export function NotFoundPage() {
  return (
    <section>
      <h1>Not found</h1>
      <p>
        There is no page here. <A href="/">Start a new race</A> or look through <A href="/runs">past runs</A>.
      </p>
    </section>
  );
}
