import { createMemoryHistory, MemoryRouter, Route } from "@solidjs/router";
import { describe, expect, it, vi } from "vitest";
import { AppLayout } from "../../web/src/components/app-layout.tsx";
import { createFakeFetch, type FakeRoute, jsonResponse } from "./fake-fetch.ts";
import { mount } from "./mount.tsx";

function mountLayout(routes: Record<string, FakeRoute>) {
  const fake = createFakeFetch(routes);
  vi.stubGlobal("fetch", fake.fetchFn);
  vi.spyOn(window, "scrollTo").mockImplementation(() => undefined);
  const history = createMemoryHistory();
  history.set({ value: "/runs" });
  const host = mount(() => (
    <MemoryRouter history={history} root={AppLayout}>
      <Route path="/runs" component={() => <p>runs</p>} />
    </MemoryRouter>
  ));
  return { host, fake };
}

const navLinks = (host: HTMLElement) => [...host.querySelectorAll(".top-bar nav a")].map((a) => a.textContent);

describe("AppLayout", () => {
  it("gives a spectator no New race link and a watching badge", async () => {
    const { host } = mountLayout({ "GET /api/session": () => jsonResponse(200, { operator: false }) });
    await vi.waitFor(() => expect(host.querySelector('[data-testid="watching-badge"]')?.textContent).toBe("watching"));
    expect(navLinks(host)).toEqual(["Runs", "Fleet"]);
    expect(host.querySelector('[data-testid="sign-out"]')).toBeNull();
  });

  it("gives the operator New race and a sign-out that turns the page into a spectator's", async () => {
    const { host, fake } = mountLayout({ "DELETE /api/session": () => jsonResponse(200, { operator: false }) });
    await vi.waitFor(() => expect(host.querySelector('[data-testid="sign-out"]')).not.toBeNull());
    expect(navLinks(host)).toEqual(["New race", "Runs", "Fleet", "Settings"]);
    expect(host.querySelector('[data-testid="watching-badge"]')).toBeNull();
    host.querySelector<HTMLButtonElement>('[data-testid="sign-out"]')?.click();
    await vi.waitFor(() => expect(host.querySelector('[data-testid="watching-badge"]')).not.toBeNull());
    expect(navLinks(host)).toEqual(["Runs", "Fleet"]);
    expect(fake.requests.map((r) => `${r.method} ${r.path}`)).toEqual(["GET /api/session", "DELETE /api/session"]);
  });
});
