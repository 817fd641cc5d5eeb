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
  const name = decodeURIComponent(url.pathname.split("/").at(-1) ?? "");
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

/** True for localhost names and loopback, private, link-local, unique-local and unspecified IP literals. */
export function isPrivateHost(hostname: string): boolean {
  const host = hostname.toLowerCase().replace(/^\[(.*)\]$/, "$1");
  if (host === "localhost" || host.endsWith(".localhost") || host.endsWith(".local") || host === "") return true;
  const v4 = /^(\d{1,3})\.(\d{1,3})\.(\d{1,3})\.(\d{1,3})$/.exec(host.replace(/^::ffff:/, ""));
  if (v4) {
    const [a = 0, b = 0] = v4.slice(1).map(Number);
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
  if (!host.includes(":")) return false;
  return host === "::" || host === "::1" || /^f[cd]/.test(host) || /^fe[89ab]/.test(host);
}
