/**
 * An HTTP(S) GET for checkpoint downloads that resolves a host name once and connects to the very
 * address it checked, so a name that answers a public address to the check and a private one to the
 * connection (DNS rebinding) gets no connection. Addresses are refused unless `allowPrivate`. A
 * connection that sends nothing for `idleTimeoutMs` (a stalled link) ends with an error.
 */
import type { LookupAddress } from "node:dns";
import { request as httpRequest, type IncomingMessage } from "node:http";
import { request as httpsRequest } from "node:https";
import { isIPv6, type LookupFunction } from "node:net";
import { Readable } from "node:stream";
import { isPrivateHost } from "../coordinator/protocol/checkpoint.ts";

/** Redirects are never followed: the caller checks each hop's host itself. */
export type CheckedGet = (
  url: URL,
  init: { signal: AbortSignal; headers: Record<string, string>; redirect: "manual" },
) => Promise<Response>;

/** Thrown (as the request's error) when a host name resolves to a loopback or private address. */
export class PrivateAddressError extends Error {
  constructor(readonly hostname: string) {
    super(`${hostname} resolves to a loopback or private address`);
  }
}

const nullBodyStatuses = new Set([204, 205, 304]);

export function createCheckedGet(
  resolve: (hostname: string) => Promise<string[]>,
  allowPrivate: boolean,
  idleTimeoutMs: number,
): CheckedGet {
  const lookup: LookupFunction = (hostname, options, callback) => {
    const fail = (error: NodeJS.ErrnoException) => callback(error, "", 4);
    resolve(hostname).then((addresses) => {
      if (addresses.length === 0)
        return fail(Object.assign(new Error(`${hostname} does not resolve`), { code: "ENOTFOUND" }));
      if (!allowPrivate && addresses.some(isPrivateHost)) return fail(new PrivateAddressError(hostname));
      const found: LookupAddress[] = addresses.map((address) => ({ address, family: isIPv6(address) ? 6 : 4 }));
      if (options.all) return callback(null, found);
      const [first] = found;
      if (first) callback(null, first.address, first.family);
    }, fail);
  };
  return (url, init) =>
    new Promise((resolveResponse, reject) => {
      const send = url.protocol === "https:" ? httpsRequest : httpRequest;
      let response: IncomingMessage | undefined;
      const request = send(url, { method: "GET", headers: init.headers, signal: init.signal, lookup }, (res) => {
        response = res;
        const status = res.statusCode ?? 0;
        const headers = new Headers();
        for (const [name, value] of Object.entries(res.headers))
          for (const one of [value ?? []].flat()) headers.append(name, one);
        const noBody = nullBodyStatuses.has(status);
        if (noBody) res.resume();
        const body = noBody ? null : (Readable.toWeb(res) as unknown as ReadableStream<Uint8Array>);
        resolveResponse(new Response(body, { status, headers }));
      });
      request.on("error", reject);
      request.setTimeout(idleTimeoutMs, () => {
        const stalled = new Error(`nothing arrived for ${idleTimeoutMs / 1000} s`);
        response?.destroy(stalled);
        request.destroy(stalled);
      });
      request.end();
    });
}
