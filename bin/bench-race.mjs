#!/usr/bin/env node
// The installed `bench-race` command: registers the TypeScript loader, then runs cli.ts.
import { register } from "tsx/esm/api";

register();
await import("../cli.ts");
