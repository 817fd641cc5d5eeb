import { describe, expect, it } from "vitest";
import { toCsv, toCsvField } from "../../../coordinator/api/to-csv.ts";

describe("toCsv", () => {
  it("writes a header row and CRLF-ended rows, blank for missing values", () => {
    expect(toCsv(["a", "b", "c"], [{ a: 1, b: true, c: null }, { a: "x" }])).toBe("a,b,c\r\n1,true,\r\nx,,\r\n");
  });

  it("quotes fields holding a comma, quote, CR or LF and doubles quotes", () => {
    expect(toCsvField('mac, "studio"')).toBe('"mac, ""studio"""');
    expect(toCsvField("two\nlines")).toBe('"two\nlines"');
    expect(toCsvField("cr\rhere")).toBe('"cr\rhere"');
    expect(toCsvField('say "hi"')).toBe('"say ""hi"""');
    expect(toCsvField("plain text")).toBe("plain text");
  });

  it("defuses text a spreadsheet would run as a formula, but not negative numbers", () => {
    expect(toCsvField('=HYPERLINK("http://x","y")')).toBe('"\'=HYPERLINK(""http://x"",""y"")"');
    expect(toCsvField("@SUM(A1)")).toBe("'@SUM(A1)");
    expect(toCsvField("-lab")).toBe("'-lab");
    expect(toCsvField(-5)).toBe("-5");
  });

  it("quotes a header that needs it", () => {
    expect(toCsv(["x,y"], [])).toBe('"x,y"\r\n');
  });
});
