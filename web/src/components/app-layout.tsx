// The frame around every page: a small top bar with the app name and the two main links.
import { A, type RouteSectionProps } from "@solidjs/router";

export function AppLayout(props: RouteSectionProps) {
  return (
    <>
      <header class="top-bar">
        <A href="/" class="brand" end>
          bench-race
        </A>
        <nav>
          <A href="/" end>
            New race
          </A>
          <A href="/runs">Runs</A>
        </nav>
      </header>
      <main class="page">{props.children}</main>
    </>
  );
}
