import { describe, expect, it } from 'vitest';
import { createForwarder } from '../src/delivery/forwarder.js';
import { deliveryProfiles } from '../src/delivery/settings/profiles.js';
import { EventStream } from '../src/stream/event-stream.js';

// forwarder.routes shows each route read-only: what it is and what it has done,
// not the engine's Route with offer/start/drain/close.
describe('forwarder.routes', () => {
  const forwarder = () =>
    createForwarder({
      stream: new EventStream({ kubeConfig: 'unused', ack: 'manual' }),
      routes: [
        { name: 'chat', sink: { name: 'hook', write: async () => {} } },
        {
          sink: {
            name: 'robot',
            write: async () => {},
            delivery: { defaults: deliveryProfiles.chatRobot },
          },
          delivery: { batch: { maxEvents: 5 } },
        },
      ],
    });

  it('names each route and its sink and shows the settings in force', () => {
    const [chat, robot] = forwarder().routes;
    expect(chat).toMatchObject({ name: 'chat', sink: 'hook' });
    expect(robot).toMatchObject({ name: 'robot', sink: 'robot' });
    expect(robot?.settings.batch.maxEvents).toBe(5); // code over the sink's profile
    expect(robot?.settings.request.rateLimitNum).toBe(
      deliveryProfiles.chatRobot.request?.rateLimitNum,
    );
    expect(robot?.metrics()).toMatchObject({ route: 'robot', sink: 'robot', received: 0 });
  });

  it('gives no handle on the engine', () => {
    const { routes } = forwarder();
    const route = routes[0] as unknown as Record<string, unknown>;
    expect(Object.keys(route).sort()).toEqual(['metrics', 'name', 'settings', 'sink', 'stats']);
    for (const method of ['offer', 'start', 'drain', 'close', 'failingForMs']) {
      expect(route[method]).toBeUndefined();
    }
    expect(Object.isFrozen(routes)).toBe(true);
    expect(Object.isFrozen(route)).toBe(true);
    expect(Object.isFrozen(routes[0]?.settings)).toBe(true);
  });

  it('hands out copies of the counters', () => {
    const route = forwarder().routes[0];
    const stats = route?.stats as { sent: number };
    stats.sent = 99;
    expect(route?.stats.sent).toBe(0);
    expect(route?.metrics().sent).toBe(0);
  });
});
