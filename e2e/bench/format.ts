/** Number formats of the report: 1 kB = 1000 bytes; times in ms below a second, else s. */
export const kB = (b: number) => `${(b / 1000).toFixed(1)} kB`;
export const ms = (x: number) =>
  x >= 1000 ? `${(x / 1000).toFixed(2)} s` : `${x.toFixed(x < 100 ? 1 : 0)} ms`;

/** One Markdown table row; a `|` inside a cell is escaped. */
export function row(cells: Array<string | number>): string {
  return `| ${cells.map((c) => String(c).replace(/\|/g, "\\|")).join(" | ")} |`;
}
