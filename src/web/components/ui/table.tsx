import { useLayoutEffect, useRef, useState } from "react";
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
  /**
   * Below this width (in CSS pixels) of the space the table has, rows become cards (default
   * 640). Wide tables pass more, so they never need a sideways scroll.
   */
  stackBelow?: number;
}

/**
 * True while the element is narrower than `width` (measured before paint, then on every
 * resize). `isMounted` says whether the element is rendered now, so it is measured once it is.
 */
function useIsNarrowerThan(width: number, isMounted: boolean) {
  const ref = useRef<HTMLDivElement>(null);
  const [isNarrower, setIsNarrower] = useState(false);
  useLayoutEffect(() => {
    const element = ref.current;
    if (!element) return;
    setIsNarrower(element.clientWidth > 0 && element.clientWidth < width);
    if (typeof ResizeObserver === "undefined") return;
    const observer = new ResizeObserver(([entry]) => {
      if (entry) setIsNarrower(entry.contentRect.width > 0 && entry.contentRect.width < width);
    });
    observer.observe(element);
    return () => observer.disconnect();
  }, [width, isMounted]);
  return { ref, isNarrower };
}

/**
 * A data table that becomes a stack of cards where it has less than `stackBelow` pixels (its
 * own width, not the window's: beside the side navigation a table has less room): each cell
 * then shows its column header as a label, so it stays readable at 360px.
 */
export function Table<Row>({ columns, rows, getRowKey, caption, hideCaption = false, empty, stackBelow = 640 }: TableProps<Row>) {
  const isEmpty = rows.length === 0 && Boolean(empty);
  const { ref, isNarrower } = useIsNarrowerThan(stackBelow, !isEmpty);
  if (isEmpty) return <>{empty}</>;
  // Explicit roles keep table semantics when CSS turns rows into cards (display: block).
  return (
    <div ref={ref} className={isNarrower ? "table-wrap table-wrap--cards" : "table-wrap"}>
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
