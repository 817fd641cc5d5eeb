/** Mounts components and routed pages into jsdom for web tests, and unmounts them after each test. */
import { createMemoryHistory, MemoryRouter, Route } from "@solidjs/router";
import { type Component, For, type JSX } from "solid-js";
import { render } from "solid-js/web";
import { afterEach, vi } from "vitest";

const disposers: Array<() => void> = [];

afterEach(() => {
  for (const dispose of disposers.splice(0)) dispose();
  document.body.innerHTML = "";
  // pages set the tab title; each test starts from none
  document.title = "";
  vi.unstubAllGlobals();
  vi.restoreAllMocks();
});

export function mount(view: () => JSX.Element): HTMLElement {
  const host = document.createElement("div");
  document.body.append(host);
  disposers.push(render(view, host));
  return host;
}

/** Mounts a router at `path` with the given routes (route path -> page). */
export function mountRoutes(path: string, routes: Record<string, Component>) {
  // jsdom has no scrolling; the router scrolls to the top after navigating.
  vi.spyOn(window, "scrollTo").mockImplementation(() => undefined);
  const history = createMemoryHistory();
  history.set({ value: path });
  const host = mount(() => (
    <MemoryRouter history={history}>
      <For each={Object.entries(routes)}>{([route, page]) => <Route path={route} component={page} />}</For>
    </MemoryRouter>
  ));
  return { host, history };
}
