import { describe, expect, it } from "vitest";
import { parseCheckpointList, toCheckpointLine } from "../../../coordinator/protocol/checkpoint.ts";

const sha = "CD".repeat(32);

describe("parseCheckpointList", () => {
  it("skips blank and comment lines and reads each checkpoint back as the line it came from", () => {
    const list = `# lab mirror\n\nSD 1.5 | https://example.org/models/sd15.safetensors | sha256:${sha}\n`;
    const { specs, problems } = parseCheckpointList(list, false);
    expect(problems).toEqual([]);
    expect(specs).toEqual([
      {
        name: "sd15.safetensors",
        label: "SD 1.5",
        url: "https://example.org/models/sd15.safetensors",
        sha256: sha.toLowerCase(),
        allow_private: false,
      },
    ]);
    expect(specs.map(toCheckpointLine)).toEqual([
      `SD 1.5 | https://example.org/models/sd15.safetensors | sha256:${sha.toLowerCase()}`,
    ]);
  });

  it("names each bad line by its number and a file listed twice", () => {
    const good = `A | https://example.org/a.safetensors | sha256:${sha}`;
    const { problems } = parseCheckpointList(
      `${good}\nB | http://10.0.0.5/b.safetensors | sha256:${sha}\n${good}`,
      false,
    );
    expect(problems).toEqual([
      "line 2: 10.0.0.5 is a loopback or private address; allow private addresses to use a lab mirror",
      "a.safetensors is listed twice; each file name once",
    ]);
  });
});
