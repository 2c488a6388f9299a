#!/usr/bin/env node
// The packages as npm users get them: builds, packs every package with pnpm
// (as publishing does), installs the tarballs with plain npm into an empty
// Node 20 app, type-checks a TypeScript consumer (nodenext and bundler, no
// skipLibCheck), runs a JavaScript and a TypeScript forwarder from them
// against the fake API server, started from other working directories, and
// lints the tarballs with publint and attw (ESM-only profile).
// `node scripts/pack-check/run.mjs [--keep]`; ends with "pack-check: N passed, M failed".
import { execFile, spawn } from 'node:child_process';
import { cpSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { writeFile } from 'node:fs/promises';
import { createRequire } from 'node:module';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { promisify } from 'node:util';
import { checkTarball, listTarball } from './tarball.mjs';

const PNPM = 'pnpm@10.33.1';
const PUBLINT = 'publint@0.3.25';
const ATTW = '@arethetypeswrong/cli@0.18.5';
// Entry points whose types need an optional peer the empty app does not have.
const NEEDS_OPTIONAL_PEER = new Set(['@keventer/testing/conformance']);

const root = fileURLToPath(new URL('../..', import.meta.url));
const work = mkdtempSync(join(tmpdir(), 'keventer-pack-check-'));
const tarballs = join(work, 'tarballs');
const app = join(work, 'app');
const tools = join(work, 'tools');
const keep = process.argv.includes('--keep');
const run = promisify(execFile);
const results = [];
const started = Date.now();

/** Runs a command; its output is shown only when it fails. */
async function sh(cmd, args, options = {}) {
  try {
    return await run(cmd, args, { maxBuffer: 64 * 1024 * 1024, ...options });
  } catch (err) {
    const out = `${err.stdout ?? ''}${err.stderr ?? ''}`.trim();
    throw new Error(`${cmd} ${args.join(' ')} failed (exit ${err.code}):\n${out.slice(-4000)}`);
  }
}

async function check(name, fn) {
  const t0 = Date.now();
  try {
    const note = await fn();
    results.push({ name, ok: true });
    console.log(
      `ok   ${name} (${((Date.now() - t0) / 1000).toFixed(1)} s)${note ? `: ${note}` : ''}`,
    );
    return true;
  } catch (err) {
    results.push({ name, ok: false });
    console.log(`FAIL ${name}: ${err instanceof Error ? err.message : String(err)}`);
    return false;
  }
}

function finish() {
  const failed = results.filter((r) => !r.ok).length;
  const seconds = ((Date.now() - started) / 1000).toFixed(0);
  if (failed === 0 && !keep) rmSync(work, { recursive: true, force: true });
  else console.log(`pack-check: files kept in ${work}`);
  console.log(`pack-check: ${results.length - failed} passed, ${failed} failed (${seconds} s)`);
  process.exit(failed === 0 ? 0 : 1);
}

const packages = readdirSync(join(root, 'packages'))
  .map((dir) => ({
    dir: join(root, 'packages', dir),
    manifest: readJson(join(root, 'packages', dir, 'package.json')),
  }))
  .filter((p) => p.manifest.private !== true);

function readJson(path) {
  return JSON.parse(readFileSync(path, 'utf8'));
}

// 1. Build and pack. `pnpm pack` runs each package's prepack (tsc -b) and
//    replaces `workspace:^` with the real versions.
const built = await check('build (tsc -b) and pnpm pack every package', async () => {
  const filters = packages.flatMap((p) => ['--filter', p.manifest.name]);
  await sh('npx', ['--yes', PNPM, '-r', ...filters, 'pack', '--pack-destination', tarballs], {
    cwd: root,
  });
  const files = readdirSync(tarballs);
  if (files.length !== packages.length)
    throw new Error(`expected ${packages.length} tarballs, got ${files.join(', ')}`);
  return `${packages.length} tarballs`;
});
if (!built) finish();

const tarballOf = (name) =>
  join(tarballs, `${name.replace('@', '').replace('/', '-')}-${packageVersion(name)}.tgz`);
function packageVersion(name) {
  return packages.find((p) => p.manifest.name === name).manifest.version;
}

for (const { manifest } of packages) {
  await check(`${manifest.name}: tarball contents`, async () => {
    const files = await listTarball(tarballOf(manifest.name));
    const problems = checkTarball(files, await readTarballText(tarballOf(manifest.name)));
    if (problems.length > 0) throw new Error(problems.join('; '));
    return `${files.length} files`;
  });
}

async function readTarballText(tarball) {
  const names = ['package/package.json', 'package/README.md'];
  const texts = {};
  for (const name of names) texts[name] = (await sh('tar', ['-xOzf', tarball, name])).stdout;
  return texts;
}

// 2. An empty app installs the tarballs with plain npm (third-party
//    dependencies come from the registry). The linters install meanwhile,
//    pinned, in a directory of their own.
const npmInstall = ['install', '--no-audit', '--no-fund', '--prefer-offline', '--loglevel=error'];
mkdirSync(tools, { recursive: true });
await writeFile(join(tools, 'package.json'), '{"private":true}\n');
const toolsReady = sh('npm', [...npmInstall, PUBLINT, ATTW], { cwd: tools }).then(
  () => undefined,
  (err) => err,
);
const installed = await check('npm install the tarballs into an empty Node 20 app', async () => {
  cpSync(fileURLToPath(new URL('./consumer/', import.meta.url)), app, { recursive: true });
  const tgz = packages.map((p) => tarballOf(p.manifest.name));
  await sh('npm', [...npmInstall, ...tgz], { cwd: app });
  return `${packages.length} tarballs`;
});
if (!installed) finish();

await check(
  "the app's @types/node stays 20 (client-node's own @types/node@24 is nested)",
  async () => {
    const top = readJson(join(app, 'node_modules/@types/node/package.json')).version;
    if (!top.startsWith('20.')) throw new Error(`node_modules/@types/node is ${top}, not 20.x`);
    const nested = join(
      app,
      'node_modules/@kubernetes/client-node/node_modules/@types/node/package.json',
    );
    let inner = 'none';
    try {
      inner = readJson(nested).version;
    } catch {}
    return `top level ${top}, under client-node ${inner}`;
  },
);

// 3. Type-check a consumer against every public entry point, both module modes.
const entries = packages.flatMap(({ manifest }) =>
  Object.keys(manifest.exports ?? { '.': null })
    .filter((key) => !key.endsWith('.json'))
    .map((key) => (key === '.' ? manifest.name : `${manifest.name}/${key.slice(2)}`))
    .filter((entry) => !NEEDS_OPTIONAL_PEER.has(entry)),
);
await writeFile(
  join(app, 'entries.ts'),
  `${entries.map((e, i) => `export * as entry${i} from '${e}';`).join('\n')}\n`,
);
for (const mode of ['nodenext', 'bundler']) {
  await check(`tsc --project tsconfig.${mode}.json (skipLibCheck: false)`, async () => {
    await sh(join(app, 'node_modules/.bin/tsc'), ['-p', `tsconfig.${mode}.json`], { cwd: app });
    return `${entries.length} entry points`;
  });
}

// 4. Forwarders from the installed packages against the fakes of the installed
//    @keventer/testing, started from other working directories.
const testing = await import(
  pathToFileURL(createRequire(join(app, 'package.json')).resolve('@keventer/testing')).href
);

await check('JavaScript forwarder started from / delivers to a webhook', async () => {
  const receiver = await testing.FakeWebhookReceiver.start();
  try {
    await forward(
      join(app, 'forwarder.mjs'),
      '/',
      `webhook:${receiver.url}/k8s?level=Warning`,
      () => receiver.waitForAccepted(1, 20_000),
    );
    return `${receiver.accepted.length} request`;
  } finally {
    await receiver.close();
  }
});

await check(
  'TypeScript forwarder (compiled) started beside another copy delivers to DingTalk',
  async () => {
    // A working directory holding a broken copy: loading it would fail the run.
    const elsewhere = join(work, 'elsewhere');
    const decoy = join(elsewhere, 'node_modules/@keventer/dingtalk');
    mkdirSync(decoy, { recursive: true });
    await writeFile(
      join(decoy, 'package.json'),
      JSON.stringify({
        name: '@keventer/dingtalk',
        version: '9.9.9',
        type: 'module',
        exports: './index.js',
      }),
    );
    await writeFile(
      join(decoy, 'index.js'),
      "throw new Error('the working directory copy was loaded');\n",
    );
    const robot = await testing.FakeDingTalkServer.start({ token: 'pack-check-token' });
    try {
      await forward(join(app, 'dist/forwarder.js'), elsewhere, robot.sinkUri(), () =>
        waitUntil(
          () => robot.messages.length >= 1,
          20_000,
          () => `${robot.messages.length} messages`,
        ),
      );
      return `${robot.messages.length} message`;
    } finally {
      await robot.close();
    }
  },
);

/** Starts a forwarder, waits until it watches, creates a Warning and waits for `delivered`. */
async function forward(script, cwd, sinkUri, delivered) {
  const api = await testing.FakeKubeApiServer.start();
  const kubeconfig = await api.writeKubeconfig(join(work, `kubeconfig-${results.length}`));
  const child = spawn(process.execPath, [script], {
    cwd,
    env: { ...process.env, KUBECONFIG: kubeconfig, SINK_URI: sinkUri },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let output = '';
  child.stdout.on('data', (d) => (output += d));
  child.stderr.on('data', (d) => (output += d));
  const exited = new Promise((resolve) =>
    child.on('exit', (code, signal) => resolve({ code, signal })),
  );
  try {
    await Promise.race([
      waitUntil(
        () => api.openWatches > 0,
        20_000,
        () => 'no watch',
      ),
      exited.then(({ code }) => {
        throw new Error(`the forwarder exited (${code}) before watching`);
      }),
    ]);
    api.createEvent(testing.events.backOff('shop/web-7d4b9c-x2x1z'));
    await delivered();
    child.kill('SIGTERM');
    const { code } = await exited;
    if (code !== 0) throw new Error(`the forwarder exited with ${code} after SIGTERM`);
  } catch (err) {
    child.kill('SIGKILL');
    throw new Error(`${err instanceof Error ? err.message : err}\n${output.slice(-3000)}`);
  } finally {
    await api.close();
  }
}

async function waitUntil(condition, timeoutMs, what) {
  const deadline = Date.now() + timeoutMs;
  while (!condition()) {
    if (Date.now() > deadline) throw new Error(`timed out after ${timeoutMs} ms (${what()})`);
    await new Promise((resolve) => setTimeout(resolve, 20));
  }
}

// 5. publint and attw on each tarball, two at a time.
const toolsError = await toolsReady;
const bin = (name) => join(tools, 'node_modules/.bin', name);
const lints = packages.flatMap(({ manifest }) => [
  [
    `${manifest.name}: publint --strict`,
    bin('publint'),
    ['run', '--strict', tarballOf(manifest.name)],
  ],
  [
    `${manifest.name}: attw --profile esm-only`,
    bin('attw'),
    ['--profile', 'esm-only', '--format', 'ascii', tarballOf(manifest.name)],
  ],
]);
const lintResults = [];
const lanes = Array.from({ length: 2 }, async () => {
  for (let next = lints.shift(); next !== undefined; next = lints.shift()) {
    const [name, cmd, args] = next;
    const result = (toolsError ? Promise.reject(toolsError) : sh(cmd, args, { cwd: work })).then(
      () => ({ name, ok: true }),
      (err) => ({ name, ok: false, err }),
    );
    lintResults.push(result);
    await result;
  }
});
await Promise.all(lanes);
for (const { name, ok, err } of (await Promise.all(lintResults)).sort((a, b) =>
  a.name.localeCompare(b.name),
)) {
  await check(name, async () => {
    if (!ok) throw err;
  });
}

finish();
