import { afterEach, describe, expect, it, vi } from 'vitest';
import { MAX_TIMER_MS, sleep } from '../src/time/sleep.js';

afterEach(() => {
  vi.useRealTimers();
  vi.restoreAllMocks();
});

describe('sleep', () => {
  it('waits at least ms', async () => {
    const t0 = performance.now();
    await sleep(25);
    expect(performance.now() - t0).toBeGreaterThanOrEqual(25);
  });

  it('re-arms when a timer fires early', async () => {
    vi.useFakeTimers({ toFake: ['setTimeout', 'clearTimeout'] });
    let clock = 0;
    vi.spyOn(performance, 'now').mockImplementation(() => clock);
    const done = vi.fn();
    void sleep(100).then(done);
    clock = 98; // the timer fires while the clock says 98 ms went by
    await vi.advanceTimersByTimeAsync(100);
    expect(done).not.toHaveBeenCalled();
    clock = 100;
    await vi.advanceTimersByTimeAsync(2);
    expect(done).toHaveBeenCalled();
  });

  it('waits past the longest timer in steps instead of firing at once', async () => {
    vi.useFakeTimers({ toFake: ['setTimeout', 'clearTimeout', 'performance'] });
    const done = vi.fn();
    void sleep(MAX_TIMER_MS + 1000).then(done);
    await vi.advanceTimersByTimeAsync(MAX_TIMER_MS);
    expect(done).not.toHaveBeenCalled();
    await vi.advanceTimersByTimeAsync(1000);
    expect(done).toHaveBeenCalled();
  });

  it("rejects with the signal's reason on abort and leaves no timer", async () => {
    vi.useFakeTimers({ toFake: ['setTimeout', 'clearTimeout', 'performance'] });
    const controller = new AbortController();
    const slept = sleep(60_000, { signal: controller.signal });
    const reason = new Error('stopped');
    controller.abort(reason);
    await expect(slept).rejects.toBe(reason);
    expect(vi.getTimerCount()).toBe(0);
    await expect(sleep(1, { signal: controller.signal })).rejects.toBe(reason);
  });

  it('with ref: false, does not keep the process alive', async () => {
    const setTimer = vi.spyOn(globalThis, 'setTimeout');
    const slept = sleep(5, { ref: false });
    const armed = (): NodeJS.Timeout => setTimer.mock.results[0]!.value;
    expect(armed().hasRef()).toBe(false);
    await slept;
    setTimer.mockClear();
    await sleep(5);
    expect(armed().hasRef()).toBe(true);
  });
});
