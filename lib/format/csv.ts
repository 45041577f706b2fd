/**
 * One CSV field: RFC 4180 quoting, and OWASP's formula guard. A value a spreadsheet could run as a formula
 * (first non-blank character =, +, - or @, or a leading tab, carriage return or line feed) gets a ' in front.
 */
export function csvField(value: string): string {
  const safe = /^[\t\r\n]|^\s*[=+\-@]/.test(value) ? `'${value}` : value;
  return /[",\r\n]/.test(safe) ? `"${safe.replace(/"/g, '""')}"` : safe;
}
