#!/usr/bin/env node
/**
 * The local stack behind `npm start` and `npm test` on a machine without Docker. Plain Node with no
 * dependencies, because it runs before `node_modules` exists.
 *
 *   node docker/local/stack.mjs start     deps → services → build → migrations → API + worker
 *   node docker/local/stack.mjs test      deps → services → lint → typecheck → build → jest [args]
 *   node docker/local/stack.mjs bench     deps → services → build → benchmarks [names]
 *   node docker/local/stack.mjs services  deps → services, then print the URLs to use
 *   node docker/local/stack.mjs stop      stop the MariaDB and Redis this script started
 *
 * Services: `DATABASE_URL` / `REDIS_URL` / `REDIS_CLUSTER_NODES` (environment or `.env`) are used as
 * given and nothing is provisioned for them (the test suite needs one Redis of its own, so `test` and
 * `bench` provision one beside a configured cluster). Whichever is missing is provisioned here: Debian's MariaDB and Redis (installed
 * with apt-get when running as root and absent), data under the git-ignored `.local/`, bound to
 * 127.0.0.1 on ports that no other service uses, and reused by the next run.
 */
import { spawn, spawnSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import net from 'node:net';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..', '..');
const LOCAL = path.join(ROOT, '.local');
const STATE_FILE = path.join(LOCAL, 'stack.json');
const IS_ROOT = process.getuid?.() === 0;
const DB = { user: 'batchops', password: 'batchops', name: 'batch_ops' };

/** Exit codes (sysexits): 69 a service cannot be provided here, 78 bad configuration. */
const EX_UNAVAILABLE = 69;
const EX_CONFIG = 78;

class StackError extends Error {
  constructor(message, exitCode = 1) {
    super(message);
    this.exitCode = exitCode;
  }
}

const log = (message) => process.stdout.write(`[stack] ${message}\n`);

// ---------------------------------------------------------------------------------------------------
// Commands

async function main(command, args) {
  switch (command) {
    case 'start':
      return start();
    case 'test':
      return test(args);
    case 'bench':
      return bench(args);
    case 'services': {
      ensureDependencies();
      const env = await ensureServices();
      const redis = env.REDIS_URL
        ? `REDIS_URL=${env.REDIS_URL}`
        : `REDIS_CLUSTER_NODES=${env.REDIS_CLUSTER_NODES}`;
      process.stdout.write(`DATABASE_URL=${env.DATABASE_URL}\n${redis}\n`);
      return 0;
    }
    case 'stop':
      return stopServices();
    default:
      throw new StackError(`usage: stack.mjs start|test|bench|services|stop (got '${command ?? ''}')`, 64);
  }
}

async function start() {
  ensureDependencies();
  const env = await ensureServices();
  if (!env.PORT) env.PORT = String(await freePort(8080, '0.0.0.0'));
  run('npm', ['run', '--silent', 'build'], { env });
  run('node', ['dist/apps/migrate/main.js'], { env });
  const base = `http://localhost:${env.PORT}`;
  log(`starting API and worker on ${base}`);
  const app = spawn('node', ['dist/apps/standalone/main.js'], { cwd: ROOT, env, stdio: 'inherit' });
  for (const signal of ['SIGINT', 'SIGTERM']) process.on(signal, () => app.kill(signal));
  void waitForReady(`${base}/health/ready`).then((ready) => {
    if (ready) {
      log(`ready: REST ${base}/engine-rest   console ${base}/console   health ${base}/health/ready`);
    }
  });
  const [code, signal] = await new Promise((resolve) => app.on('exit', (c, s) => resolve([c, s])));
  return code ?? (signal ? 0 : 1);
}

async function test(jestArgs) {
  ensureDependencies();
  const env = {
    ...(await ensureServices({ singleRedis: true })),
    NODE_ENV: 'test',
    LOG_LEVEL: process.env.LOG_LEVEL ?? 'warn',
  };
  // The Bull Board test drives Debian's Chromium through playwright-core (no browser download).
  env.CHROMIUM_PATH =
    process.env.CHROMIUM_PATH ??
    findBinary(['chromium']) ??
    installPackages('Chromium', ['chromium'], ['chromium']);
  log('lint');
  run('npx', ['eslint', '.'], { env });
  run('npx', ['prettier', '--check', '--log-level', 'warn', '.'], { env });
  log('typecheck and build');
  run('npx', ['tsc', '-p', 'tsconfig.json', '--noEmit'], { env });
  run('npx', ['tsc', '-p', 'apps/console/tsconfig.json'], { env });
  run('npm', ['run', '--silent', 'build'], { env });
  log('jest');
  run('npx', ['jest', '--ci', ...jestArgs], { env });
  return 0;
}

async function bench(names) {
  ensureDependencies();
  const env = { ...(await ensureServices({ singleRedis: true })), NODE_ENV: 'production', LOG_LEVEL: 'warn' };
  run('npx', ['tsc', '-p', 'tsconfig.bench.json'], { env });
  run('npx', ['tsc-alias', '-p', 'tsconfig.bench.json'], { env });
  run('node', ['dist/test/bench/run.js', ...names], { env });
  return 0;
}

// ---------------------------------------------------------------------------------------------------
// Dependencies

function ensureDependencies() {
  const major = Number(process.versions.node.split('.')[0]);
  if (major < 20)
    throw new StackError(`Node.js 20 or newer is required (this is ${process.version})`, EX_CONFIG);
  const lock = path.join(ROOT, 'package-lock.json');
  const marker = path.join(ROOT, 'node_modules', '.stack-lock-hash');
  const wanted = createHash('sha256').update(readFileSync(lock)).digest('hex');
  if (existsSync(marker) && readFileSync(marker, 'utf8') === wanted) return;
  // Not `npm ci`: registry mirrors often lack other platforms' optional binaries, which the lock file
  // then cannot list, and `npm ci` refuses such a lock file. `npm install` keeps the locked versions;
  // `--no-save` keeps it from rewriting package-lock.json (a checkout stays clean after `npm start`).
  log('installing dependencies (npm install)');
  run('npm', ['install', '--no-audit', '--no-fund', '--no-save']);
  writeFileSync(marker, wanted);
}

// ---------------------------------------------------------------------------------------------------
// Services

/** The environment for the app: the caller's, `.env`, and the URLs of provisioned services. */
async function ensureServices({ singleRedis = false } = {}) {
  const dotEnv = path.join(ROOT, '.env');
  if (existsSync(dotEnv)) process.loadEnvFile(dotEnv);
  const env = { ...process.env };
  mkdirSync(LOCAL, { recursive: true });
  const state = readState();
  if (env.DATABASE_URL) {
    await expectReachable('DATABASE_URL', env.DATABASE_URL, 3306);
  } else {
    env.DATABASE_URL = await provisionMariaDb(state);
  }
  if (env.REDIS_CLUSTER_NODES && !env.REDIS_URL && !singleRedis) {
    const [first] = env.REDIS_CLUSTER_NODES.split(',');
    const seed = first.includes('://') ? first.trim() : `redis://${first.trim()}`;
    await expectReachable('REDIS_CLUSTER_NODES', seed, 6379);
  } else if (env.REDIS_URL) {
    await expectReachable('REDIS_URL', env.REDIS_URL, 6379);
  } else {
    if (env.REDIS_CLUSTER_NODES) {
      log('REDIS_CLUSTER_NODES is set, but the test suite and benches run on one Redis: provisioning it');
      delete env.REDIS_CLUSTER_NODES;
    }
    env.REDIS_URL = await provisionRedis(state);
  }
  writeState(state);
  return env;
}

async function expectReachable(key, url, defaultPort) {
  let parsed;
  try {
    parsed = new URL(url);
  } catch {
    throw new StackError(`${key} is not a URL: ${url}`, EX_CONFIG);
  }
  const port = Number(parsed.port || defaultPort);
  if (!(await answers(parsed.hostname, port))) {
    throw new StackError(
      `${key} points at ${parsed.hostname}:${port}, which does not accept connections`,
      EX_UNAVAILABLE,
    );
  }
  log(`using ${key} (${parsed.hostname}:${port}); provisioning nothing for it`);
}

async function provisionMariaDb(state) {
  const server =
    findBinary(['mariadbd', 'mysqld']) ??
    installPackages('MariaDB', ['mariadb-server', 'mariadb-client'], ['mariadbd', 'mysqld']);
  const installDb = findBinary(['mariadb-install-db', 'mysql_install_db']);
  const client = findBinary(['mariadb', 'mysql']);
  if (!installDb || !client) {
    throw new StackError(
      'MariaDB is installed without mariadb-install-db or the mariadb client; install mariadb-server and mariadb-client',
      EX_UNAVAILABLE,
    );
  }
  const dir = path.join(LOCAL, 'mariadb');
  const dataDir = path.join(dir, 'data');
  const socket = shortSocketPath('mariadb');
  const pidFile = path.join(dir, 'mariadbd.pid');
  mkdirSync(dir, { recursive: true });
  const url = (port) => `mysql://${DB.user}:${DB.password}@127.0.0.1:${port}/${DB.name}`;

  if (state.mariadb && isAlive(readPid(pidFile)) && (await answers('127.0.0.1', state.mariadb.port))) {
    log(`MariaDB already running on 127.0.0.1:${state.mariadb.port}`);
    return url(state.mariadb.port);
  }
  if (!existsSync(path.join(dataDir, 'mysql'))) {
    log('initialising a MariaDB data directory under .local/mariadb');
    run(
      installDb,
      [
        '--no-defaults',
        `--datadir=${dataDir}`,
        `--user=${os.userInfo().username}`,
        '--skip-test-db',
        '--auth-root-authentication-method=socket',
      ],
      { quiet: true },
    );
  }
  const port = await freePort(state.mariadb?.port ?? 3307);
  log(`starting MariaDB on 127.0.0.1:${port}`);
  const child = spawn(
    server,
    [
      '--no-defaults',
      `--datadir=${dataDir}`,
      `--port=${port}`,
      '--bind-address=127.0.0.1',
      `--socket=${socket}`,
      `--pid-file=${pidFile}`,
      `--log-error=${path.join(dir, 'error.log')}`,
      '--skip-name-resolve',
      '--character-set-server=utf8mb4',
      '--collation-server=utf8mb4_unicode_ci',
      '--max-connections=1000',
      '--innodb-buffer-pool-size=512M',
      // Durable commits (the server's default, spelt out): nothing committed is lost, even to a crash
      // of the machine. A redo log large enough that big batches do not force page flushes (96 MB made
      // the database write 11 KB per migrated instance at 200,000 instances).
      '--innodb-flush-log-at-trx-commit=1',
      '--innodb-log-file-size=1G',
      ...(IS_ROOT ? ['--user=root'] : []),
    ],
    { detached: true, stdio: 'ignore' },
  );
  child.unref();
  if (!(await waitFor(() => answers('127.0.0.1', port), 60_000))) {
    throw new StackError(`MariaDB did not start; see ${path.join(dir, 'error.log')}`, EX_UNAVAILABLE);
  }
  const sql = [
    `CREATE DATABASE IF NOT EXISTS ${DB.name} CHARACTER SET utf8mb4 COLLATE utf8mb4_unicode_ci`,
    ...['127.0.0.1', 'localhost'].flatMap((host) => [
      `CREATE USER IF NOT EXISTS '${DB.user}'@'${host}' IDENTIFIED BY '${DB.password}'`,
      // All privileges: the test suite creates and drops a database per test file.
      `GRANT ALL PRIVILEGES ON *.* TO '${DB.user}'@'${host}'`,
    ]),
  ].join(';\n');
  run(client, ['--no-defaults', `--socket=${socket}`, `--user=${os.userInfo().username}`, '-e', sql], {
    quiet: true,
  });
  state.mariadb = { port };
  return url(port);
}

async function provisionRedis(state) {
  const server = findBinary(['redis-server']) ?? installPackages('Redis', ['redis-server'], ['redis-server']);
  const dir = path.join(LOCAL, 'redis');
  const pidFile = path.join(dir, 'redis.pid');
  mkdirSync(dir, { recursive: true });
  if (state.redis && isAlive(readPid(pidFile)) && (await answers('127.0.0.1', state.redis.port))) {
    log(`Redis already running on 127.0.0.1:${state.redis.port}`);
    return `redis://127.0.0.1:${state.redis.port}`;
  }
  const port = await freePort(state.redis?.port ?? 6390);
  log(`starting Redis on 127.0.0.1:${port}`);
  run(
    server,
    [
      '--port',
      String(port),
      '--bind',
      '127.0.0.1',
      '--dir',
      dir,
      '--daemonize',
      'yes',
      '--pidfile',
      pidFile,
      '--logfile',
      path.join(dir, 'redis.log'),
      '--appendonly',
      'yes',
      '--maxmemory-policy',
      'noeviction',
      '--save',
      '',
    ],
    { quiet: true },
  );
  if (!(await waitFor(() => answers('127.0.0.1', port), 20_000))) {
    throw new StackError(`Redis did not start; see ${path.join(dir, 'redis.log')}`, EX_UNAVAILABLE);
  }
  state.redis = { port };
  return `redis://127.0.0.1:${port}`;
}

async function stopServices() {
  for (const [name, pidFile] of [
    ['MariaDB', path.join(LOCAL, 'mariadb', 'mariadbd.pid')],
    ['Redis', path.join(LOCAL, 'redis', 'redis.pid')],
  ]) {
    const pid = readPid(pidFile);
    if (!isAlive(pid)) continue;
    log(`stopping ${name} (pid ${pid})`);
    process.kill(pid, 'SIGTERM');
    await waitFor(async () => !isAlive(pid), 30_000);
  }
  return 0;
}

/** Installs Debian packages when allowed to; otherwise explains what to do. */
function installPackages(what, packages, binaries) {
  const alternative = { Redis: ' or set REDIS_URL', MariaDB: ' or set DATABASE_URL' }[what] ?? '';
  const hint = `install ${packages.join(' ')} (e.g. sudo apt-get install -y ${packages.join(' ')})${alternative}`;
  if (!IS_ROOT || !findBinary(['apt-get'])) {
    throw new StackError(`${what} is not installed and this user cannot install it: ${hint}`, EX_UNAVAILABLE);
  }
  log(`installing ${packages.join(', ')} with apt-get`);
  // Keep the package's own service from starting on the default port: this script runs its own.
  const policy = '/usr/sbin/policy-rc.d';
  const ownPolicy = !existsSync(policy);
  if (ownPolicy) writeFileSync(policy, '#!/bin/sh\nexit 101\n', { mode: 0o755 });
  try {
    const env = { ...process.env, DEBIAN_FRONTEND: 'noninteractive' };
    const install = () =>
      spawnSync('apt-get', ['install', '-y', '--no-install-recommends', ...packages], {
        env,
        stdio: 'inherit',
      }).status === 0;
    if (!install()) {
      run('apt-get', ['update'], { env });
      if (!install())
        throw new StackError(`apt-get could not install ${packages.join(' ')}: ${hint}`, EX_UNAVAILABLE);
    }
  } finally {
    if (ownPolicy) spawnSync('rm', ['-f', policy]);
  }
  const binary = findBinary(binaries);
  if (!binary)
    throw new StackError(
      `${what} was installed but ${binaries.join('/')} is not on the PATH`,
      EX_UNAVAILABLE,
    );
  return binary;
}

// ---------------------------------------------------------------------------------------------------
// Helpers

function run(command, args, options = {}) {
  const result = spawnSync(command, args, {
    cwd: ROOT,
    env: options.env ?? process.env,
    stdio: options.quiet ? ['ignore', 'pipe', 'pipe'] : 'inherit',
    encoding: 'utf8',
  });
  if (result.status !== 0) {
    const output = options.quiet ? `\n${result.stdout ?? ''}${result.stderr ?? ''}`.trimEnd() : '';
    throw new StackError(
      `'${path.basename(command)} ${args[0] ?? ''}' failed (exit ${result.status ?? result.signal})${output}`,
      result.status || 1,
    );
  }
  return result;
}

function findBinary(names) {
  const dirs = [...(process.env.PATH ?? '').split(':'), '/usr/sbin', '/usr/local/sbin', '/sbin'];
  for (const name of names) {
    for (const dir of dirs) {
      const candidate = path.join(dir, name);
      if (dir && existsSync(candidate)) return candidate;
    }
  }
  return undefined;
}

/** Unix socket paths are limited to ~100 bytes, so they live in the temp dir, named after this checkout. */
function shortSocketPath(service) {
  const id = createHash('sha1').update(ROOT).digest('hex').slice(0, 10);
  return path.join(os.tmpdir(), `batch-ops-${id}-${service}.sock`);
}

function answers(host, port) {
  return new Promise((resolve) => {
    const socket = net.connect({ host, port });
    const done = (ok) => {
      socket.destroy();
      resolve(ok);
    };
    socket.setTimeout(1_000, () => done(false));
    socket.once('connect', () => done(true));
    socket.once('error', () => done(false));
  });
}

/** The first port from `preferred` on that nothing listens on (checked by binding it). */
async function freePort(preferred, host = '127.0.0.1') {
  for (let port = preferred; port < preferred + 200; port += 1) {
    const free = await new Promise((resolve) => {
      const probe = net.createServer();
      probe.once('error', () => resolve(false));
      probe.listen({ port, host, exclusive: true }, () => probe.close(() => resolve(true)));
    });
    if (free && !(await answers('127.0.0.1', port))) return port;
  }
  throw new StackError(`no free port in ${preferred}-${preferred + 199}`, EX_UNAVAILABLE);
}

async function waitFor(condition, timeoutMs) {
  const deadline = Date.now() + timeoutMs;
  while (Date.now() < deadline) {
    if (await condition()) return true;
    await new Promise((resolve) => setTimeout(resolve, 250));
  }
  return false;
}

async function waitForReady(url) {
  return waitFor(async () => {
    try {
      return (await fetch(url)).status === 200;
    } catch {
      return false;
    }
  }, 120_000);
}

function readPid(file) {
  try {
    return Number(readFileSync(file, 'utf8').trim()) || undefined;
  } catch {
    return undefined;
  }
}

function isAlive(pid) {
  if (!pid) return false;
  try {
    process.kill(pid, 0);
    return true;
  } catch (error) {
    return error.code === 'EPERM';
  }
}

function readState() {
  try {
    return JSON.parse(readFileSync(STATE_FILE, 'utf8'));
  } catch {
    return {};
  }
}

function writeState(state) {
  writeFileSync(STATE_FILE, `${JSON.stringify(state, null, 2)}\n`);
}

main(process.argv[2], process.argv.slice(3)).then(
  (code) => process.exit(code),
  (error) => {
    process.stderr.write(`[stack] ${error instanceof StackError ? error.message : error.stack}\n`);
    process.exit(error instanceof StackError ? error.exitCode : 1);
  },
);
