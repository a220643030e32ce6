/**
 * ISO 8601 dates and date-times as CSV and JSON files hold them: `2024-03-01`,
 * `2024-03-01T12:30:00Z`, `2024-03-01 12:30:00.123456+02:00` (pandas writes a
 * space and up to nine fraction digits). A time without a zone is taken as UTC,
 * never as the reading machine's local time, so a file reads the same everywhere.
 * A day that does not exist (2023-02-29) is no date.
 *
 * Read character by character: building a string for Date.parse and checking the
 * calendar through a Date cost 12 s for a column of 1,000,000 values; this costs
 * tens of milliseconds, and the CSV reader parses every field of a candidate
 * date column once.
 */

const DAYS_IN_MONTH = [31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31];
/** Milliseconds in 400 Gregorian years, which repeat exactly. */
const FOUR_CENTURIES = 146097 * 86_400_000;

/** Milliseconds since 1970 UTC of an ISO 8601 date or date-time, NaN when `text` is none. */
export function parseISODate(text: string): number {
  const n = text.length;
  if (n < 10 || text.charCodeAt(4) !== 45 || text.charCodeAt(7) !== 45) return NaN;
  const year = digits(text, 0, 4);
  const month = digits(text, 5, 2);
  const day = digits(text, 8, 2);
  if (year < 0 || month < 1 || month > 12 || day < 1 || day > daysIn(year, month)) return NaN;
  let hour = 0;
  let minute = 0;
  let second = 0;
  let ms = 0;
  let offset = 0;
  let pos = 10;
  if (pos < n) {
    const sep = text.charCodeAt(pos);
    if ((sep !== 84 && sep !== 32) || n < 16 || text.charCodeAt(13) !== 58) return NaN;
    hour = digits(text, 11, 2);
    minute = digits(text, 14, 2);
    pos = 16;
    if (pos < n && text.charCodeAt(pos) === 58) {
      second = digits(text, pos + 1, 2);
      pos += 3;
      if (pos < n && text.charCodeAt(pos) === 46) {
        let count = 0;
        let fraction = 0;
        for (pos++; pos < n; pos++, count++) {
          const c = text.charCodeAt(pos) - 48;
          if (c < 0 || c > 9) break;
          if (count < 3) fraction = fraction * 10 + c;
        }
        if (count === 0 || count > 9) return NaN;
        ms = count >= 3 ? fraction : fraction * (count === 1 ? 100 : 10);
      }
    }
    if (hour < 0 || hour > 23 || minute < 0 || minute > 59 || second < 0 || second > 59) return NaN;
    if (pos < n) {
      const zone = text.charCodeAt(pos);
      if (zone === 90 && pos + 1 === n) pos++;
      else if (zone === 43 || zone === 45) {
        const zh = digits(text, pos + 1, 2);
        let zm = 0;
        const rest = n - pos - 3;
        if (rest === 3 && text.charCodeAt(pos + 3) === 58) zm = digits(text, pos + 4, 2);
        else if (rest === 2) zm = digits(text, pos + 3, 2);
        else if (rest !== 0) return NaN;
        if (zh < 0 || zh > 23 || zm < 0 || zm > 59) return NaN;
        offset = (zone === 45 ? -1 : 1) * (zh * 60 + zm) * 60_000;
        pos = n;
      } else return NaN;
    }
  }
  if (pos !== n) return NaN;
  // Date.UTC reads years 0-99 as 1900-1999; 400 years later the calendar is the same.
  const utc = year < 100 ? Date.UTC(year + 400, month - 1, day, hour, minute, second, ms) - FOUR_CENTURIES : Date.UTC(year, month - 1, day, hour, minute, second, ms);
  return utc - offset;
}

/** The number written by `count` ASCII digits at `at`, or -1. */
function digits(text: string, at: number, count: number): number {
  let value = 0;
  for (let i = at; i < at + count; i++) {
    const c = text.charCodeAt(i) - 48;
    if (!(c >= 0 && c <= 9)) return -1;
    value = value * 10 + c;
  }
  return value;
}

function daysIn(year: number, month: number): number {
  if (month !== 2) return DAYS_IN_MONTH[month - 1];
  return (year % 4 === 0 && year % 100 !== 0) || year % 400 === 0 ? 29 : 28;
}
