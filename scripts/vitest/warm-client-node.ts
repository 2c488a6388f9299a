// Core loads @kubernetes/client-node lazily, at a stream's first connect through
// a kubeconfig file: 0.5 s on an idle machine, several seconds on a busy CI one.
// Tests time first connects against deadlines that are about keventer, not
// about module loading, so each test worker loads it up front, once.
import { createRequire } from 'node:module';

// Resolved from core, the package that depends on it.
createRequire(new URL('../../packages/core/package.json', import.meta.url))(
  '@kubernetes/client-node',
);
