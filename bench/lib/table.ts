/**
 * A plain-text table, columns separated by two spaces. Text aligns left; a column holding only numbers aligns on
 * the decimal point, so 1107 and 1063.8 (values rounded to one decimal) still line up.
 */
export function formatTable(header: readonly string[], rows: readonly (readonly (string | number)[])[]): string {
  const columns = header.map((title, column) => {
    const values = rows.map((row) => row[column] ?? '');
    const numeric = values.length > 0 && values.every((value): value is number => typeof value === 'number');
    const cells = [title, ...(numeric ? alignOnPoint(values) : values.map(String))];
    return { numeric, cells, width: Math.max(...cells.map((cell) => cell.length)) };
  });
  const line = (cellOf: (column: (typeof columns)[number]) => string) =>
    columns
      .map((column) => (column.numeric ? cellOf(column).padStart(column.width) : cellOf(column).padEnd(column.width)))
      .join('  ')
      .trimEnd();
  return [
    line((column) => column.cells[0]),
    line((column) => '-'.repeat(column.width)),
    ...rows.map((_, row) => line((column) => column.cells[row + 1])),
  ].join('\n');
}

/** Pads each number's text on the right so that all decimal points (or ends of whole numbers) fall in one column. */
function alignOnPoint(numbers: number[]): string[] {
  const texts = numbers.map(String);
  const fractionLength = (text: string) => (text.includes('.') ? text.length - text.indexOf('.') : 0);
  const longest = Math.max(...texts.map(fractionLength));
  return texts.map((text) => text + ' '.repeat(longest - fractionLength(text)));
}
