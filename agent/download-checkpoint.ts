/**
 * Downloads a listed checkpoint into ComfyUI's checkpoints folder. The bytes go to a hidden
 * `.<name>.part` file that a later attempt resumes with an HTTP Range request; the file gets its
 * real name only once its sha256 matches the operator's, so ComfyUI never lists a partial or wrong
 * file. The name must be a plain file name, and every address the URL (or a redirect) resolves to
 * must be public unless the operator allowed private ones. Nothing is written outside `dir`, and a
 * download stops before it could fill the disk: past `maxBytes`, or when the disk would keep less
 * than `reserveBytes` free (checked up front when the size is known, every 64 MiB as bytes come).
 */
import { createHash } from "node:crypto";
import { lookup } from "node:dns/promises";
import { createReadStream } from "node:fs";
import { mkdir, open, rename, rm, stat, statfs } from "node:fs/promises";
import { basename, join } from "node:path";
import { type CheckpointSpec, checkpointNameSchema, isPrivateHost } from "../coordinator/protocol/checkpoint.ts";
import { fetchFailureReason } from "./backends/fetch-failure-reason.ts";
import { type CheckedGet, createCheckedGet, PrivateAddressError } from "./create-checked-get.ts";

export interface CheckpointDownload {
  spec: CheckpointSpec;
  /** ComfyUI's models/checkpoints folder */
  dir: string;
  signal: AbortSignal;
  /** bytes on disk so far and the whole size when known */
  onProgress(completed: number, total: number | null): void;
  /** default: a GET that connects only to the addresses it checked (create-checked-get.ts) */
  fetch?: CheckedGet;
  /** milliseconds a connection may send nothing before the download breaks off; default 60 s */
  idleTimeoutMs?: number;
  /** every address a host name resolves to; default DNS */
  resolve?: (hostname: string) => Promise<string[]>;
  /** largest checkpoint taken; default 128 GiB */
  maxBytes?: number;
  /** bytes the disk must keep free; default 1 GiB */
  reserveBytes?: number;
  /** bytes free for unprivileged writes on the disk holding `dir`; default statfs */
  freeSpace?: (dir: string) => Promise<number>;
}

export type Downloaded = { ok: true; path: string; resumedFrom: number } | { ok: false; message: string };

const maxRedirects = 5;
const defaultIdleTimeoutMs = 60_000;
const defaultMaxBytes = 128 * 2 ** 30;
const defaultReserveBytes = 2 ** 30;
/** free space is read again after every this many bytes of a download */
const freeSpaceCheckBytes = 64 * 2 ** 20;
const defaultFreeSpace = async (dir: string) => {
  const fs = await statfs(dir);
  return fs.bavail * fs.bsize;
};
const gib = (bytes: number) => `${(bytes / 2 ** 30).toFixed(1)} GiB`;
const defaultResolve = async (hostname: string) => (await lookup(hostname, { all: true })).map((a) => a.address);

export async function downloadCheckpoint(download: CheckpointDownload): Promise<Downloaded> {
  const { spec, dir } = download;
  const named = checkpointNameSchema.safeParse(spec.name);
  if (!named.success || basename(spec.name) !== spec.name)
    return {
      ok: false,
      message: `Refused checkpoint name "${spec.name}": ${named.error?.issues[0]?.message ?? "it must be a plain file name"}.`,
    };
  const final = join(dir, spec.name);
  const part = join(dir, `.${spec.name}.part`);
  await mkdir(dir, { recursive: true });
  if ((await stat(final).catch(() => null))?.isFile()) {
    if ((await hashFile(final)) === spec.sha256) return { ok: true, path: final, resumedFrom: 0 };
    return {
      ok: false,
      message: `${final} exists with a different sha256 than the listed one; remove it to download it again.`,
    };
  }
  const resumedFrom = (await stat(part).catch(() => null))?.size ?? 0;
  const hash = createHash("sha256");
  if (resumedFrom > 0) for await (const chunk of createReadStream(part)) hash.update(chunk as Buffer);

  const response = await fetchChecked(download, spec.url, resumedFrom);
  if (!response.ok) return response;
  const { res } = response;
  // the server ignored the range: start again from the first byte
  if (res.status === 200 && resumedFrom > 0) return downloadFresh(download, res, part, final);
  if (res.status === 416) {
    // nothing left past the part file: it may already be whole
    await res.body?.cancel();
    return verifyAndPublish(spec, hash.digest("hex"), part, final, resumedFrom);
  }
  if (res.status !== 206 && res.status !== 200) {
    await res.body?.cancel();
    return {
      ok: false,
      message: `${new URL(spec.url).host} answered HTTP ${res.status} for ${spec.name}; check the URL.`,
    };
  }
  const written = await writeBody(download, res, part, resumedFrom, totalSize(res, resumedFrom), hash, "a");
  if (!written.ok) return written;
  return verifyAndPublish(spec, hash.digest("hex"), part, final, resumedFrom);
}

async function downloadFresh(
  download: CheckpointDownload,
  res: Response,
  part: string,
  final: string,
): Promise<Downloaded> {
  const hash = createHash("sha256");
  const written = await writeBody(download, res, part, 0, totalSize(res, 0), hash, "w");
  if (!written.ok) return written;
  return verifyAndPublish(download.spec, hash.digest("hex"), part, final, 0);
}

async function verifyAndPublish(
  spec: CheckpointSpec,
  actual: string,
  part: string,
  final: string,
  resumedFrom: number,
): Promise<Downloaded> {
  if (actual !== spec.sha256) {
    await rm(part, { force: true });
    return {
      ok: false,
      message: `The download of ${spec.name} has sha256 ${actual}, not the listed ${spec.sha256}; it was deleted. Check the URL and the hash in the checkpoint list.`,
    };
  }
  await rename(part, final);
  return { ok: true, path: final, resumedFrom };
}

function totalSize(res: Response, offset: number): number | null {
  const range = /\/(\d+)$/.exec(res.headers.get("content-range") ?? "")?.[1];
  if (range) return Number(range);
  const length = res.headers.get("content-length");
  return length === null ? null : offset + Number(length);
}

async function writeBody(
  download: CheckpointDownload,
  res: Response,
  part: string,
  offset: number,
  total: number | null,
  hash: ReturnType<typeof createHash>,
  flags: "a" | "w",
): Promise<{ ok: true } | { ok: false; message: string }> {
  const { spec, dir } = download;
  const maxBytes = download.maxBytes ?? defaultMaxBytes;
  const reserve = download.reserveBytes ?? defaultReserveBytes;
  const freeSpace = download.freeSpace ?? defaultFreeSpace;
  const tooLarge = (size: number, announced: boolean) => ({
    ok: false as const,
    message: `${spec.name} is larger than ${gib(maxBytes)} (${gib(size)} ${announced ? "announced" : "so far"}); the download was stopped and deleted. Check the URL.`,
  });
  const diskFull = async (needed: number) => {
    const free = await freeSpace(dir);
    if (free - needed >= reserve) return null;
    return {
      ok: false as const,
      message: `Not enough disk space for ${spec.name} in ${dir}: ${gib(free)} free, ${gib(needed)} more needed and ${gib(reserve)} kept free. Free some space and sync again to resume it.`,
    };
  };
  if (total !== null && total > maxBytes) {
    await res.body?.cancel();
    await rm(part, { force: true });
    return tooLarge(total, true);
  }
  const fullUpFront = await diskFull(total === null ? 0 : total - offset);
  if (fullUpFront) {
    await res.body?.cancel();
    return fullUpFront;
  }
  const file = await open(part, flags);
  let completed = offset;
  let nextCheck = offset + freeSpaceCheckBytes;
  /** bytes the download had reached when it passed `maxBytes`; 0 while it has not */
  let overflowAt = 0;
  try {
    for await (const chunk of res.body ?? []) {
      if (completed + chunk.byteLength > maxBytes) {
        overflowAt = completed + chunk.byteLength;
        break;
      }
      if (total === null && completed >= nextCheck) {
        nextCheck = completed + freeSpaceCheckBytes;
        const full = await diskFull(chunk.byteLength);
        if (full) return full;
      }
      hash.update(chunk);
      await file.write(chunk);
      completed += chunk.byteLength;
      download.onProgress(completed, total);
    }
  } catch (err) {
    const why = download.signal.aborted ? "it was stopped" : fetchFailureReason(err);
    return {
      ok: false,
      message: `The download of ${spec.name} broke off at ${completed} bytes (${why}); sync again to resume it.`,
    };
  } finally {
    await file.close();
  }
  if (overflowAt === 0) return { ok: true };
  await rm(part, { force: true });
  return tooLarge(overflowAt, false);
}

/** GETs `url` from `from` bytes on, following redirects by hand so each host is checked. */
async function fetchChecked(
  download: CheckpointDownload,
  url: string,
  from: number,
): Promise<{ ok: true; res: Response } | { ok: false; message: string }> {
  const resolve = download.resolve ?? defaultResolve;
  const fetchFn =
    download.fetch ??
    createCheckedGet(resolve, download.spec.allow_private, download.idleTimeoutMs ?? defaultIdleTimeoutMs);
  const refused = (host: string) => ({
    ok: false as const,
    message: `Refused to download ${download.spec.name} from ${host}: it is a loopback or private address. The operator can allow private addresses for a lab mirror.`,
  });
  let target = new URL(url);
  for (let hop = 0; hop <= maxRedirects; hop++) {
    if (target.protocol !== "http:" && target.protocol !== "https:")
      return {
        ok: false,
        message: `${download.spec.url} redirected to ${target.protocol} (only http and https are followed); check the checkpoint's URL.`,
      };
    if (!download.spec.allow_private) {
      const addresses = isPrivateHost(target.hostname)
        ? [target.hostname]
        : await resolve(target.hostname).catch(() => []);
      if (addresses.length === 0)
        return { ok: false, message: `${target.hostname} does not resolve; check the checkpoint's URL.` };
      if (isPrivateHost(target.hostname) || addresses.some(isPrivateHost)) return refused(target.host);
    }
    let res: Response;
    try {
      res = await fetchFn(target, {
        redirect: "manual",
        signal: download.signal,
        headers: from > 0 ? { range: `bytes=${from}-` } : {},
      });
    } catch (err) {
      if (err instanceof PrivateAddressError) return refused(target.host);
      return {
        ok: false,
        message: `${target.host} did not answer (${fetchFailureReason(err)}); check the URL and this machine's network.`,
      };
    }
    const location = res.headers.get("location");
    if (res.status >= 300 && res.status < 400 && location) {
      await res.body?.cancel();
      const next = URL.canParse(location, target) ? new URL(location, target) : null;
      if (!next)
        return {
          ok: false,
          message: `${download.spec.url} redirected to "${location}", which is not a URL; check the checkpoint's URL.`,
        };
      target = next;
      continue;
    }
    return { ok: true, res };
  }
  return { ok: false, message: `${download.spec.url} redirected more than ${maxRedirects} times.` };
}

async function hashFile(path: string): Promise<string> {
  const hash = createHash("sha256");
  for await (const chunk of createReadStream(path)) hash.update(chunk as Buffer);
  return hash.digest("hex");
}
