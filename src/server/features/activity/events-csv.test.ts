import { describe, expect, it } from "vitest";
import { csvLine, escapeCsvField } from "./events-csv.js";

describe("CSV fields (RFC 4180, OWASP CSV injection)", () => {
  it.each([
    ["plain", "plain"],
    ["with,comma", '"with,comma"'],
    ['say "hi"', '"say ""hi"""'],
    ["two\nlines", '"two\nlines"'],
    ["carriage\r\nreturn", '"carriage\r\nreturn"'],
    ["", ""],
  ])("%j → %j", (value, expected) => {
    expect(escapeCsvField(value)).toBe(expected);
  });

  it.each(["=1+1", "+1", "-1", "@SUM(A1)", "\tTAB", "\rCR"])(
    "neutralises the formula-looking %j with a leading quote",
    (value) => {
      expect(escapeCsvField(value).replace(/^"/, "").startsWith(`'${value[0]}`)).toBe(true);
    },
  );

  it('quotes a formula cell that also holds a quote: =HYPERLINK("x") → "\'=HYPERLINK(""x"")"', () => {
    expect(escapeCsvField('=HYPERLINK("x")')).toBe(`"'=HYPERLINK(""x"")"`);
  });

  it("ends every record with CRLF", () => {
    expect(csvLine(["a", "b,c"])).toBe('a,"b,c"\r\n');
  });
});
