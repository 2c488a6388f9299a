import { expect, it } from 'vitest';
import { parseServer } from '../src/endpoint.js';

it("reads kube-eventer's target forms and refuses what is no host:port", () => {
  expect(parseServer('riemann:5555')).toEqual({ host: 'riemann', port: 5555, tls: false });
  expect(parseServer('http://riemann.monitoring:5556')).toEqual({
    host: 'riemann.monitoring',
    port: 5556,
    tls: false,
  });
  expect(parseServer('tls://10.0.0.7:5554/')).toEqual({ host: '10.0.0.7', port: 5554, tls: true });
  expect(parseServer('[::1]:5555')).toEqual({ host: '::1', port: 5555, tls: false });
  expect(parseServer('riemann')).toEqual({ host: 'riemann', port: 5555, tls: false });
  for (const bad of ['h:0', 'h:70000', 'udp://h:5555', 'h:5555/x', 'user@h:5555', ''])
    expect(parseServer(bad), bad).toBeUndefined();
});
