/**
 * Resolves once `predicate` holds, polling every `pollMs`; fails after
 * `timeoutMs`, saying what `describe` reports about the state then.
 */
export async function until(
  predicate: () => boolean,
  timeoutMs = 5000,
  { pollMs = 10, describe }: { pollMs?: number; describe?: () => string } = {},
): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!predicate()) {
    if (Date.now() > deadline) throw new Error(`timed out${describe ? `: ${describe()}` : ''}`);
    await new Promise((resolve) => setTimeout(resolve, pollMs));
  }
}
