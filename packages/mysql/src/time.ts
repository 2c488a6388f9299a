/**
 * kube-eventer writes times with Go's time.Time.String(), in the process's
 * zone (UTC in its image): `2024-05-01 10:00:00 +0000 UTC`, fractions with
 * trailing zeros trimmed, and Go's zero time when the event has none.
 */
export const GO_ZERO_TIME = '0001-01-01 00:00:00 +0000 UTC';

export function goTimeString(iso: string): string {
  const ms = iso === '' ? Number.NaN : Date.parse(iso);
  if (Number.isNaN(ms)) return GO_ZERO_TIME;
  const [date = '', time = ''] = new Date(ms).toISOString().replace('Z', '').split('T');
  const [clock = '', fraction = '000'] = time.split('.');
  // Kubernetes MicroTime has microseconds: keep the ones the source gives.
  const micros = /\.(\d{1,9})/.exec(iso)?.[1] ?? fraction;
  const trimmed = micros.replace(/0+$/, '');
  return `${date} ${clock}${trimmed ? `.${trimmed}` : ''} +0000 UTC`;
}

/** A DATETIME(3) value in UTC, `2024-05-01 10:00:00.123`, or null when there is no time. */
export function sqlDateTime(iso: string): string | null {
  const ms = iso === '' ? Number.NaN : Date.parse(iso);
  if (Number.isNaN(ms)) return null;
  return new Date(ms).toISOString().replace('T', ' ').replace('Z', '');
}
