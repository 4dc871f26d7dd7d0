/**
 * What a panel's export holds: the rows it shows, as a header and cells.
 * Built from query results by the pure functions beside each view's panels.
 */
export interface ExportTable {
  header: string[];
  rows: Array<Array<string | number | null>>;
}
