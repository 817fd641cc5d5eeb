/**
 * The PartyKit deployment is the one front door: the rooms answer `/parties/*`, PartyKit serves
 * the built web app's files, and this forwards `/api/*` and `/login` to the API (BENCH_API_URL) and
 * answers the app's own routes with its index.html. Browsers, share links and agents use one URL,
 * so the operator's cookie stays first-party and nothing needs CORS.
 */
import type * as Party from "partykit/server";
import { readPartyEnv } from "./partykit-server.ts";

const forwarded = (path: string) => path === "/login" || path === "/api" || path.startsWith("/api/");

/** The path as the API will route it (percent-decoded); null when it is not valid percent-encoding. */
function routedPath(pathname: string): string | null {
  try {
    return decodeURIComponent(pathname);
  } catch {
    return null;
  }
}

export async function frontDoor(req: Party.Request, lobby: Party.FetchLobby): Promise<Response> {
  const url = new URL(req.url);
  const path = routedPath(url.pathname);
  if (path === null) {
    return Response.json(
      { error: { code: "bad_request", message: "The path is not valid percent-encoding; check the link." } },
      { status: 400 },
    );
  }
  if (path.startsWith("/api/internal")) {
    return Response.json(
      {
        error: { code: "not_found", message: "Room sinks reach the API at BENCH_API_URL, not through the front door." },
      },
      { status: 404 },
    );
  }
  if (forwarded(url.pathname)) return forward(req, url, readPartyEnv(lobby.env).apiUrl);
  if (req.method === "GET" || req.method === "HEAD") {
    const index = await lobby.assets.fetch("/index.html");
    if (index) return new Response(index.body, { status: 200, headers: index.headers });
    return new Response("The web app is not built here: run `npm run build:web` before `partykit deploy`.", {
      status: 503,
    });
  }
  return Response.json(
    { error: { code: "not_found", message: `Nothing answers ${req.method} ${url.pathname} here.` } },
    { status: 404 },
  );
}

async function forward(req: Party.Request, url: URL, apiUrl: string): Promise<Response> {
  const headers = new Headers(Object.fromEntries(req.headers.entries()));
  headers.delete("host");
  headers.set("x-forwarded-host", url.host);
  headers.set("x-forwarded-proto", url.protocol.replace(":", ""));
  const hasBody = req.method !== "GET" && req.method !== "HEAD";
  try {
    return await fetch(new URL(url.pathname + url.search, apiUrl), {
      method: req.method,
      headers,
      body: hasBody ? await req.arrayBuffer() : undefined,
      redirect: "manual",
    });
  } catch (error) {
    return Response.json(
      {
        error: {
          code: "api_unreachable",
          message: `The API at ${apiUrl} is not reachable (${error instanceof Error ? error.message : String(error)}). Start it with \`bench-race serve --cloud\` and check BENCH_API_URL.`,
        },
      },
      { status: 502 },
    );
  }
}
