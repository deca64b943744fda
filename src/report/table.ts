// Fixed-width text tables. By default the first column is left-aligned and the rest (numbers)
// right-aligned; `align` says otherwise per column.

export type Align = 'l' | 'r';

export function table(rows: string[][], widthOf: (s: string) => number = (s) => s.length, align?: Align[]): string[] {
  const widths: number[] = [];
  for (const row of rows) row.forEach((cell, i) => (widths[i] = Math.max(widths[i] ?? 0, widthOf(cell))));
  return rows.map((row) =>
    row
      .map((cell, i) => {
        const pad = ' '.repeat((widths[i] ?? 0) - widthOf(cell));
        return (align?.[i] ?? (i === 0 ? 'l' : 'r')) === 'l' ? cell + pad : pad + cell;
      })
      .join('  ')
      .trimEnd(),
  );
}
