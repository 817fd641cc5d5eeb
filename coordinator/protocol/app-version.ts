/** The version every component reports, from package.json. */
import pkg from "../../package.json" with { type: "json" };

export const appVersion: string = pkg.version;
