/**
 * CSV that opens as it is in a French spreadsheet: UTF-8 with a byte-order mark, `;` between
 * fields, CRLF line ends, a field quoted (quotes doubled) when it holds `;`, a quote or a line break.
 */
export function frenchCsv(header: string[], rows: Array<Array<string | number | null | undefined>>): string {
  const field = (v: string | number | null | undefined) => {
    const s = v === null || v === undefined ? '' : String(v);
    return /[;"\r\n]/.test(s) ? `"${s.replace(/"/g, '""')}"` : s;
  };
  return '\uFEFF' + [header, ...rows].map((r) => r.map(field).join(';')).join('\r\n') + '\r\n';
}
