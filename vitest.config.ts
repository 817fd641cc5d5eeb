import solid from "vite-plugin-solid";
import { defineConfig } from "vitest/config";

export default defineConfig({
  test: {
    projects: [
      // Generous timeouts: CI runs every project at once on 2 cores, and worker threads start slowly there.
      { test: { name: "unit", environment: "node", include: ["tests/unit/**/*.test.ts"], testTimeout: 30_000 } },
      {
        plugins: [solid()],
        resolve: { conditions: ["development", "browser"] },
        test: { name: "web", environment: "jsdom", include: ["tests/web/**/*.test.{ts,tsx}"], testTimeout: 15_000 },
      },
      {
        test: {
          name: "integration",
          environment: "node",
          include: ["tests/integration/**/*.test.ts"],
          testTimeout: 60_000,
        },
      },
      {
        test: {
          name: "e2e",
          environment: "node",
          include: ["tests/e2e/**/*.test.ts"],
          globalSetup: ["tests/e2e/build-web.ts"],
          testTimeout: 120_000,
          hookTimeout: 180_000,
        },
      },
    ],
  },
});
