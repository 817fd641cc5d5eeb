// Entry point: mounts the router with the pages inside the shared top bar.
import { Route, Router } from "@solidjs/router";
import { render } from "solid-js/web";
import { AppLayout } from "./components/app-layout.tsx";
import { ComparePage } from "./pages/compare-page.tsx";
import { FleetPage } from "./pages/fleet-page.tsx";
import { NewRacePage } from "./pages/new-race-page.tsx";
import { NotFoundPage } from "./pages/not-found-page.tsx";
import { RacePage } from "./pages/race-page.tsx";
import { RunsPage } from "./pages/runs-page.tsx";
import { SettingsPage } from "./pages/settings-page.tsx";
import "./styles.css";

const root = document.getElementById("root");
if (root) {
  render(
    () => (
      <Router root={AppLayout}>
        <Route path="/" component={NewRacePage} />
        <Route path="/runs" component={RunsPage} />
        <Route path="/runs/:id" component={RacePage} />
        <Route path="/compare" component={ComparePage} />
        <Route path="/fleet" component={FleetPage} />
        <Route path="/settings" component={SettingsPage} />
        <Route path="*" component={NotFoundPage} />
      </Router>
    ),
    root,
  );
}
