/**
 * Checkpoints the operator lists for image races, one per line as `label | url | sha256:<hex>`.
 * Agents download each into ComfyUI's checkpoints folder under the file name the URL ends with,
 * and only a file whose sha256 matches becomes visible. Names never hold a path separator, and
 * URLs on loopback or private addresses are refused unless the operator allowed them.
 */
import { z } from "zod";

/** A checkpoint file name: no path separators, no leading dot, a model file extension. */
export const checkpointNameSchema = z
  .string()
  .max(200)
  .regex(/^[^\\/:\0.][^\\/:\0]*\.(safetensors|ckpt|pt|pth|bin|gguf)$/i, {
    error: "the file name must be a plain .safetensors/.ckpt/.pt/.pth/.bin/.gguf name, without slashes",
  });

export const checkpointSpecSchema = z.object({
  /** file name in the checkpoints folder, from the URL's last path segment */
  name: checkpointNameSchema,
  label: z.string().min(1).max(200),
  url: z.url({ protocol: /^https?$/, error: "the URL must be http(s)" }),
  /** lowercase hex */
  sha256: z.string().regex(/^[0-9a-f]{64}$/),
  /** the operator allowed a loopback or private address */
  allow_private: z.boolean().default(false),
});
export type CheckpointSpec = z.infer<typeof checkpointSpecSchema>;

/** `PUT /api/checkpoints`: the whole list as lines, replacing the stored one. */
export const checkpointListRequestSchema = z.object({
  list: z.string().max(100_000),
  /** allow URLs on loopback or private addresses (a lab mirror) */
  allow_private: z.boolean().default(false),
});

/** `POST /api/checkpoints/sync`: download these checkpoints (all when `names` is absent) on these agents. */
export const checkpointSyncRequestSchema = z.object({
  agents: z.array(z.string().min(1)).min(1).max(100),
  names: z.array(checkpointNameSchema).max(100).optional(),
});

/** One line parsed, or what is wrong with it (1-based line number in the message). */
export function parseCheckpointLine(
  line: string,
  lineNumber: number,
  allowPrivate: boolean,
): { ok: true; spec: CheckpointSpec } | { ok: false; message: string } {
  const parts = line.split("|").map((p) => p.trim());
  const fail = (why: string) => ({ ok: false as const, message: `line ${lineNumber}: ${why}` });
  if (parts.length !== 3) return fail("write it as `label | url | sha256:<64 hex digits>`");
  const [label = "", rawUrl = "", hash = ""] = parts;
  const sha = /^sha256:([0-9a-fA-F]{64})$/.exec(hash)?.[1]?.toLowerCase();
  if (!sha) return fail("the third part must be sha256: followed by 64 hex digits");
  let url: URL;
  try {
    url = new URL(rawUrl);
  } catch {
    return fail(`"${rawUrl}" is not a URL`);
  }
  if (!allowPrivate && isPrivateHost(url.hostname))
    return fail(`${url.hostname} is a loopback or private address; allow private addresses to use a lab mirror`);
  let name: string;
  try {
    name = decodeURIComponent(url.pathname.split("/").at(-1) ?? "");
  } catch {
    return fail("the file name in the URL is not valid percent-encoding; write it as the server names the file");
  }
  const parsed = checkpointSpecSchema.safeParse({
    name,
    label,
    url: url.href,
    sha256: sha,
    allow_private: allowPrivate,
  });
  if (!parsed.success) return fail(parsed.error.issues[0]?.message ?? "invalid");
  return { ok: true, spec: parsed.data };
}

/**
 * The whole list (blank lines and `#` comments skipped) as specs, with what is wrong with each
 * bad line; the API refuses a list with any problem, and the Settings page checks it the same way.
 */
export function parseCheckpointList(
  list: string,
  allowPrivate: boolean,
): { specs: CheckpointSpec[]; problems: string[] } {
  const specs: CheckpointSpec[] = [];
  const problems: string[] = [];
  list.split("\n").forEach((line, i) => {
    if (line.trim() === "" || line.trim().startsWith("#")) return;
    const parsed = parseCheckpointLine(line, i + 1, allowPrivate);
    if (parsed.ok) specs.push(parsed.spec);
    else problems.push(parsed.message);
  });
  const names = specs.map((s) => s.name);
  const repeated = names.filter((name, i) => names.indexOf(name) !== i);
  if (repeated.length > 0) problems.push(`${repeated[0]} is listed twice; each file name once`);
  return { specs, problems };
}

/** A spec as the line the operator wrote: `label | url | sha256:<hex>`. */
export const toCheckpointLine = (spec: CheckpointSpec): string => `${spec.label} | ${spec.url} | sha256:${spec.sha256}`;

/** Whether a dotted IPv4 address is unspecified, loopback, private, shared, link-local, multicast or reserved. */
function isPrivateV4(a: number, b: number): boolean {
  return (
    a === 0 ||
    a === 10 ||
    a === 127 ||
    (a === 100 && b >= 64 && b <= 127) ||
    (a === 169 && b === 254) ||
    (a === 172 && b >= 16 && b <= 31) ||
    (a === 192 && b === 168) ||
    a >= 224
  );
}

/** The eight 16-bit groups of an IPv6 address (a dotted IPv4 tail included); null when it is not one. */
function ipv6Groups(host: string): number[] | null {
  const v4Tail = /^(.*:)(\d{1,3})\.(\d{1,3})\.(\d{1,3})\.(\d{1,3})$/.exec(host);
  let text = host;
  if (v4Tail) {
    const [a = 0, b = 0, c = 0, d = 0] = v4Tail.slice(2).map(Number);
    text = `${v4Tail[1]}${((a << 8) | b).toString(16)}:${((c << 8) | d).toString(16)}`;
  }
  const halves = text.split("::");
  if (halves.length > 2) return null;
  const parse = (half: string | undefined) => (half ? half.split(":") : []);
  const head = parse(halves[0]);
  const tail = parse(halves[1]);
  const missing = 8 - head.length - tail.length;
  if (halves.length === 1 ? missing !== 0 : missing < 1) return null;
  const groups = [...head, ...Array<string>(halves.length === 2 ? missing : 0).fill("0"), ...tail];
  if (!groups.every((g) => /^[0-9a-f]{1,4}$/.test(g))) return null;
  return groups.map((g) => Number.parseInt(g, 16));
}

/**
 * True for localhost names, loopback, private, link-local, unique-local, multicast and unspecified
 * IP literals, IPv4 inside IPv6 (mapped, compatible, NAT64) judged as the IPv4 it carries, and
 * anything with a colon that is not a well-formed IPv6 address.
 */
export function isPrivateHost(hostname: string): boolean {
  const host = hostname
    .toLowerCase()
    .replace(/^\[(.*)\]$/, "$1")
    .replace(/\.$/, "");
  if (host === "localhost" || host.endsWith(".localhost") || host.endsWith(".local") || host === "") return true;
  const v4 = /^(\d{1,3})\.(\d{1,3})\.(\d{1,3})\.(\d{1,3})$/.exec(host);
  if (v4) return isPrivateV4(Number(v4[1]), Number(v4[2]));
  if (!host.includes(":")) return false;
  const g = ipv6Groups(host);
  if (!g) return true;
  const [g0 = 0, g1 = 0, g2 = 0, g3 = 0, g4 = 0, g5 = 0, g6 = 0, g7 = 0] = g;
  const zeroTo = (n: number) => g.slice(0, n).every((x) => x === 0);
  const carriesV4 =
    (zeroTo(5) && g5 === 0xffff) || zeroTo(6) || (g0 === 0x64 && g1 === 0xff9b && g2 + g3 + g4 + g5 === 0);
  if (carriesV4) return (zeroTo(6) && g6 === 0 && g7 <= 1) || isPrivateV4(g6 >> 8, g6 & 0xff);
  return (g0 & 0xfe00) === 0xfc00 || (g0 & 0xffc0) === 0xfe80 || (g0 & 0xffc0) === 0xfec0 || (g0 & 0xff00) === 0xff00;
}
