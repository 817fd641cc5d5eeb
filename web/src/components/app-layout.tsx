// The frame around every page: a small top bar with the app name, the main links (New race only for
// the operator), and either a sign-out button or a "watching" badge for spectators.
import { A, type RouteSectionProps } from "@solidjs/router";
import { Show } from "solid-js";
import { SessionProvider, useSession } from "../stores/session-store.tsx";

export function AppLayout(props: RouteSectionProps) {
  return (
    <SessionProvider>
      <TopBar />
      <main class="page">{props.children}</main>
    </SessionProvider>
  );
}

function TopBar() {
  const session = useSession();
  return (
    <header class="top-bar">
      <A href="/" class="brand" end>
        bench-race
      </A>
      <nav>
        <Show when={session.operator()}>
          <A href="/" end>
            New race
          </A>
        </Show>
        <A href="/runs">Runs</A>
        <A href="/fleet">Fleet</A>
        <Show when={session.operator()}>
          <A href="/settings">Settings</A>
        </Show>
      </nav>
      <div class="session">
        <Show when={session.operator()}>
          <button type="button" class="link" onClick={() => session.signOut()} data-testid="sign-out">
            Sign out
          </button>
        </Show>
        <Show when={session.watching()}>
          <span
            class="badge badge-watching"
            data-testid="watching-badge"
            title="Only the operator can start or stop races"
          >
            watching
          </span>
        </Show>
        <Show when={session.error()}>
          {(message) => (
            <span class="error" role="alert">
              {message()}
            </span>
          )}
        </Show>
      </div>
    </header>
  );
}
