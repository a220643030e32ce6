/**
 * ISO 8601 dates and date-times as CSV and JSON files hold them: `2024-03-01`,
 * `2024-03-01T12:30:00Z`, `2024-03-01 12:30:00.123456+02:00` (pandas writes a
 * space and up to nine fraction digits). A time without a zone is taken as UTC,
 * never as the reading machine's local time, so a file reads the same everywhere.
 */
const ISO = /^(\d{4}-\d{2}-\d{2})(?:[T ](\d{2}:\d{2}(?::\d{2})?)(?:\.(\d{1,9}))?(Z|[+-]\d{2}(?::?\d{2})?)?)?$/;

/** Milliseconds since 1970 UTC of an ISO 8601 date or date-time, NaN when `text` is none. */
export function parseISODate(text: string): number {
  const m = ISO.exec(text);
  if (!m) return NaN;
  const [, day, time, fraction, zone] = m;
  if (time === undefined) return Date.parse(`${day}T00:00:00Z`);
  const ms = fraction === undefined ? '' : `.${fraction.slice(0, 3).padEnd(3, '0')}`;
  const z = zone === undefined || zone === 'Z' ? 'Z' : zone.length === 3 ? `${zone}:00` : zone.includes(':') ? zone : `${zone.slice(0, 3)}:${zone.slice(3)}`;
  const t = Date.parse(`${day}T${time.length === 5 ? `${time}:00` : time}${ms}${z}`);
  return checkCalendar(day, z, t);
}

/** Date.parse rolls 2024-02-30 over to March; a day that does not exist is no date. */
function checkCalendar(day: string, zone: string, t: number): number {
  if (Number.isNaN(t) || zone !== 'Z') return t;
  return new Date(t).toISOString().slice(0, 10) === day ? t : NaN;
}
