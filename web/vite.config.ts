// Builds the Solid app into web/dist (served by the coordinator) and, in dev, proxies the API,
// the login link and the room sockets to a local coordinator on port 8080.
import { fileURLToPath } from "node:url";
import { defineConfig } from "vite";
import solid from "vite-plugin-solid";

const webRoot = fileURLToPath(new URL(".", import.meta.url));
const coordinator = "http://127.0.0.1:8080";

export default defineConfig({
  root: webRoot,
  plugins: [solid()],
  build: { outDir: fileURLToPath(new URL("./dist", import.meta.url)), emptyOutDir: true },
  server: {
    proxy: {
      "/api": coordinator,
      "/login": coordinator,
      "/parties": { target: coordinator, ws: true },
    },
  },
});
