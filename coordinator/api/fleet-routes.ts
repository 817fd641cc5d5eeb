/**
 * `/api/fleet`: what the operator needs to add a machine. The enrollment token is the secret agents
 * present to join, so it is operator only; the command is ready to paste on the new machine.
 */
import { Hono } from "hono";
import { enrollmentSchema } from "../protocol/api.ts";
import type { ApiDeps } from "./api-deps.ts";
import { ApiError } from "./api-error.ts";
import { createOperatorAuth } from "./operator-auth.ts";

/** Quotes a word for a POSIX shell unless it is made only of characters the shell leaves alone. */
const shellWord = (word: string): string =>
  /^[\w@%+=:,./-]+$/.test(word) ? word : `'${word.replaceAll("'", `'\\''`)}'`;

/** The line that starts an agent against this coordinator, named after the machine it runs on. */
export const toEnrollmentCommand = (publicUrl: string, token: string): string =>
  `npm run agent -- --coordinator ${shellWord(publicUrl.replace(/\/+$/, ""))} --token ${shellWord(token)} --name "$(hostname)"`;

export function createFleetRoutes(deps: Pick<ApiDeps, "operatorKey" | "publicUrl" | "agentToken">): Hono {
  const app = new Hono();
  const operatorOnly = createOperatorAuth(deps.operatorKey);
  app.get("/enrollment", operatorOnly, (c) => {
    const token = deps.agentToken;
    if (!token) {
      throw new ApiError(
        404,
        "not_found",
        "This coordinator's host keeps the agent token itself: read it where the host's secrets are set.",
      );
    }
    return c.json(enrollmentSchema.parse({ token, command: toEnrollmentCommand(deps.publicUrl, token) }));
  });
  return app;
}
