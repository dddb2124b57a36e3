/** Renders rows of cells as an aligned text table (first column left, the others right). */
export function renderTable(header: string[], rows: string[][], indent = "  "): string {
  const widths = header.map((h, i) => Math.max(h.length, ...rows.map((r) => (r[i] ?? "").length)));
  const line = (cells: string[]) =>
    indent +
    cells
      .map((c, i) => (i === 0 ? c.padEnd(widths[i]!) : c.padStart(widths[i]!)))
      .join("  ")
      .trimEnd();
  const rule = (indent + widths.map((w) => "-".repeat(w)).join("  ")).trimEnd();
  return [line(header), rule, ...rows.map(line)].join("\n");
}

/** A number with thousands separators and `digits` decimals. */
export function num(value: number | null | undefined, digits = 0): string {
  if (value === null || value === undefined || !Number.isFinite(value)) return "-";
  return value.toLocaleString("en-US", { minimumFractionDigits: digits, maximumFractionDigits: digits });
}

/** Milliseconds with a precision that suits their size. */
export function ms(value: number | null | undefined): string {
  if (value === null || value === undefined) return "-";
  return num(value, value < 10 ? 2 : value < 100 ? 1 : 0);
}

/** A ratio as `0.42×`. */
export function ratio(value: number | null | undefined): string {
  return value === null || value === undefined || !Number.isFinite(value) ? "-" : `${value.toFixed(2)}×`;
}
