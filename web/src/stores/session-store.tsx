// Whether this browser is the operator: the app layout loads it once and shares it with the pages,
// which show their controls (New race, Cancel, Delete) only to the operator and a "watching" badge
// to spectators. A page mounted on its own (in tests) loads its own.
import { createContext, createResource, createSignal, type JSX, useContext } from "solid-js";
import { api } from "../lib/api-client.ts";
import { errorText } from "../lib/error-text.ts";

export interface SessionStore {
  /** true only once the API has said this browser is the operator */
  operator(): boolean;
  /** true once the API has said this browser is a spectator (or could not say) */
  watching(): boolean;
  signOut(): Promise<void>;
  /** the last sign-out failure, if any */
  error(): string | null;
}

export function createSessionStore(): SessionStore {
  const [session, { mutate }] = createResource(() => api.getSession());
  const [error, setError] = createSignal<string | null>(null);
  return {
    operator: () => session.state === "ready" && session().operator,
    watching: () => session.state === "errored" || (session.state === "ready" && !session().operator),
    error,
    async signOut() {
      setError(null);
      try {
        mutate(await api.signOut());
      } catch (cause) {
        setError(errorText(cause));
      }
    },
  };
}

const SessionContext = createContext<SessionStore>();

export function SessionProvider(props: { children: JSX.Element }) {
  const store = createSessionStore();
  return <SessionContext.Provider value={store}>{props.children}</SessionContext.Provider>;
}

/** The shared session, or a new one where no provider is above (a page mounted alone). */
export function useSession(): SessionStore {
  return useContext(SessionContext) ?? createSessionStore();
}
