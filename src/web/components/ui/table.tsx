import type { ReactNode } from "react";
import "./table.css";

/** One column of a {@link Table}. */
export interface TableColumn<Row> {
  key: string;
  /** Column header; also the label shown beside the value when rows become cards. */
  header: string;
  cell: (row: Row) => ReactNode;
  /** Visually hide the header text (e.g. an actions column); it stays for screen readers. */
  hideHeader?: boolean;
  align?: "start" | "end";
}

/** Props of {@link Table}. */
export interface TableProps<Row> {
  columns: readonly TableColumn<Row>[];
  rows: readonly Row[];
  getRowKey: (row: Row) => string;
  /** Table caption (required for accessibility); hide it visually when a heading says the same. */
  caption: string;
  hideCaption?: boolean;
  /** Shown instead of the table when `rows` is empty. */
  empty?: ReactNode;
}

/**
 * A data table that becomes a stack of cards under 640px: each cell then shows its column
 * header as a label, so it stays readable at 360px.
 */
export function Table<Row>({ columns, rows, getRowKey, caption, hideCaption = false, empty }: TableProps<Row>) {
  if (rows.length === 0 && empty) return <>{empty}</>;
  // Explicit roles keep table semantics when CSS turns rows into cards (display: block).
  return (
    <div className="table-wrap">
      <table className="table" role="table">
        <caption className={hideCaption ? "sr-only" : "table__caption"}>{caption}</caption>
        <thead role="rowgroup">
          <tr role="row">
            {columns.map((column) => (
              <th
                key={column.key}
                scope="col"
                role="columnheader"
                className={column.align === "end" ? "table__cell--end" : undefined}
              >
                {column.hideHeader ? <span className="sr-only">{column.header}</span> : column.header}
              </th>
            ))}
          </tr>
        </thead>
        <tbody role="rowgroup">
          {rows.map((row) => (
            <tr key={getRowKey(row)} role="row">
              {columns.map((column) => (
                <td
                  key={column.key}
                  role="cell"
                  data-label={column.hideHeader ? undefined : column.header}
                  className={column.align === "end" ? "table__cell--end" : undefined}
                >
                  {column.cell(row)}
                </td>
              ))}
            </tr>
          ))}
        </tbody>
      </table>
    </div>
  );
}
