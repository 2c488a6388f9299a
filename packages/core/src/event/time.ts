/**
 * Epoch ms of an RFC 3339 time, NaN when invalid: exactly what Date.parse
 * answers. The two forms Kubernetes writes (`2026-01-02T03:04:05Z` and, after
 * normalization, `2026-01-02T03:04:05.678Z`) are read digit by digit, 2-3 times
 * faster than Date.parse: a time is parsed several times per event.
 */
export function parseTimeMs(text: string): number {
  // The same text comes back several times per event (lastTimestamp: on
  // normalizing, in the stream's and then a route's occurrence check), and
  // firstTimestamp in between: two remembered answers serve the repeats.
  if (text === recent[0]) return recentMs[0];
  if (text === recent[1]) return recentMs[1];
  const ms = parseUncached(text);
  recent[1] = recent[0];
  recentMs[1] = recentMs[0];
  recent[0] = text;
  recentMs[0] = ms;
  return ms;
}

const recent: [string, string] = ['', ''];
const recentMs: [number, number] = [Number.NaN, Number.NaN];

function parseUncached(text: string): number {
  const length = text.length;
  if (
    (length !== 20 && length !== 24) ||
    text.charCodeAt(length - 1) !== 90 /* Z */ ||
    text.charCodeAt(4) !== 45 /* - */ ||
    text.charCodeAt(7) !== 45 ||
    text.charCodeAt(10) !== 84 /* T */ ||
    text.charCodeAt(13) !== 58 /* : */ ||
    text.charCodeAt(16) !== 58 ||
    (length === 24 && text.charCodeAt(19) !== 46) /* . */
  ) {
    return Date.parse(text);
  }
  const year = digits(text, 0, 4);
  const month = digits(text, 5, 2);
  const day = digits(text, 8, 2);
  const hour = digits(text, 11, 2);
  const minute = digits(text, 14, 2);
  const second = digits(text, 17, 2);
  const ms = length === 24 ? digits(text, 20, 3) : 0;
  // Out-of-range fields, day 29-31 (which depend on the month) and years before
  // 1000 (Date.UTC reads 0-99 as 1900-1999) take Date.parse's path.
  const inRange =
    year >= 1000 &&
    month >= 1 &&
    month <= 12 &&
    day >= 1 &&
    day <= 28 &&
    hour >= 0 &&
    hour <= 23 &&
    minute >= 0 &&
    minute <= 59 &&
    second >= 0 &&
    second <= 59 &&
    ms >= 0;
  if (!inRange) {
    return Date.parse(text);
  }
  return Date.UTC(year, month - 1, day, hour, minute, second, ms);
}

/** The number written by `count` decimal digits at `start`; -1 if any is not a digit. */
function digits(text: string, start: number, count: number): number {
  let value = 0;
  for (let i = start; i < start + count; i++) {
    const digit = text.charCodeAt(i) - 48;
    if (digit < 0 || digit > 9) return -1;
    value = value * 10 + digit;
  }
  return value;
}
