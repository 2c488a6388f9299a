/** Kubernetes `Time`: RFC 3339 in UTC with second precision, e.g. `2026-01-02T03:04:05Z`. */
export function kubeTime(at: Date | number = Date.now()): string {
  return `${new Date(at).toISOString().slice(0, 19)}Z`;
}

/**
 * Kubernetes `MicroTime`: RFC 3339 in UTC with six fractional digits, e.g.
 * `2026-01-02T03:04:05.123456Z`. `micros` (0-999) fills the digits a Date cannot hold.
 */
export function kubeMicroTime(at: Date | number = Date.now(), micros = 0): string {
  const iso = new Date(at).toISOString();
  const extra = String(Math.trunc(Math.abs(micros)) % 1000).padStart(3, '0');
  return `${iso.slice(0, 23)}${extra}Z`;
}

/** Epoch milliseconds of a Time/MicroTime string; NaN when absent or invalid. */
export function parseKubeTime(value: string | null | undefined): number {
  return value ? Date.parse(value) : Number.NaN;
}

let nanoCounter = 0n;

/**
 * The suffix recorders give Event names: the hex of a Unix time in nanoseconds
 * (`<object>.<16 hex>`, like client-go's `fmt.Sprintf("%v.%x", name, t.UnixNano())`).
 * Unique within the process even for the same millisecond.
 */
export function unixNanoHex(at: Date | number = Date.now()): string {
  nanoCounter = (nanoCounter + 7919n) % 1_000_000n;
  return (BigInt(Math.trunc(+new Date(at))) * 1_000_000n + nanoCounter).toString(16);
}
