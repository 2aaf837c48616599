// The Dockerfile and .dockerignore, checked without a Docker engine: a multi-stage build on the
// Node the lockfile pins (Debian, for DuckDB's glibc module), a non-root user, a health check
// script that exists, an entry point that is package.json's `brook` bin and a default command in
// the CLI's table; every COPY source is in the build context; and the image's file set, copied
// out on its own, runs `brook up` and passes its own health check.
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { cpSync, existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, symlinkSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { basename, dirname, join, normalize } from 'node:path';
import { after, describe, test } from 'node:test';
import { parseBrookCommandLine } from './cli-table.ts';
import { type Dockerfile, execForm, parseDockerfile } from './dockerfile.ts';
import { REPO } from './hcl.ts';

const dockerfile: Dockerfile = parseDockerfile(readFileSync(join(REPO, 'Dockerfile'), 'utf8'));
const final = dockerfile.stages.at(-1)!;
const lock = JSON.parse(readFileSync(join(REPO, 'package-lock.json'), 'utf8'));
const pkg = JSON.parse(readFileSync(join(REPO, 'package.json'), 'utf8'));
const one = (keyword: string) => {
  const found = final.instructions.filter((i) => i.keyword === keyword);
  assert.equal(found.length, 1, `one ${keyword} in the final stage`);
  return found[0]!;
};

/** [source, destination] of a stage's COPYs from the build context. */
const copiesOf = (stage: { instructions: Array<{ keyword: string; args: string }> }) =>
  stage.instructions
    .filter((i) => i.keyword === 'COPY' && !i.args.startsWith('--from'))
    .flatMap((i) => {
      const parts = i.args.split(/\s+/);
      const dest = parts.pop()!;
      // As Docker: into a directory when the destination ends in / or there are several sources.
      return parts.map((src) => [src, parts.length > 1 || dest.endsWith('/') ? join(dest, basename(src)) : dest] as const);
    });
/** What the image holds from the build context. */
const contextCopies = copiesOf(final);
const allCopies = dockerfile.stages.flatMap(copiesOf);

describe('Dockerfile', () => {
  test('builds in two stages on the Node version package-lock.json pins, Debian slim', () => {
    assert.equal(dockerfile.stages.length, 2);
    assert.equal(dockerfile.globalArgs.get('NODE_VERSION'), lock.packages['node_modules/node'].version);
    for (const s of dockerfile.stages) assert.equal(s.from, `node:\${NODE_VERSION}-bookworm-slim`);
    assert.ok(final.instructions.some((i) => i.keyword === 'COPY' && i.args.startsWith(`--from=${dockerfile.stages[0]!.name} `)));
  });

  test('installs only production dependencies, without install scripts, which none of them needs but the runtime package', () => {
    const run = dockerfile.stages[0]!.instructions.find((i) => i.keyword === 'RUN')!.args;
    assert.match(run, /npm ci --omit=dev --ignore-scripts/);
    // `node` downloads a Node binary the image already has; any other production package with an
    // install script would be broken by --ignore-scripts.
    const scripted = Object.entries<any>(lock.packages)
      .filter(([, p]) => p.hasInstallScript && !p.dev)
      .map(([k]) => k);
    assert.deepEqual(scripted, ['node_modules/node']);
  });

  test('runs as the non-root node user', () => {
    const user = one('USER');
    assert.equal(user.args, 'node');
    const at = (i: { keyword: string }) => final.instructions.indexOf(i as any);
    assert.ok(at(user) < at(one('ENTRYPOINT')));
  });

  test("the entry point is package.json's brook bin, and the default command is in the CLI's table", async () => {
    const entry = execForm(one('ENTRYPOINT').args);
    assert.deepEqual(entry, ['node', normalize(pkg.bin.brook)]);
    const parsed = await parseBrookCommandLine(execForm(one('CMD').args));
    assert.equal(parsed.command.name, 'up');
  });

  test('the health check runs a script the image contains', () => {
    const hc = one('HEALTHCHECK').args;
    const cmd = /CMD\s+(\[.*\])$/.exec(hc);
    assert.ok(cmd, hc);
    const [node, script] = execForm(cmd[1]!);
    assert.equal(node, 'node');
    assert.ok(existsSync(join(REPO, script!)));
    assert.ok(
      contextCopies.some(([src]) => script!.startsWith(`${src}/`)),
      `${script} is copied into the image`,
    );
  });

  test('every COPY source exists and .dockerignore lets it into the build context', () => {
    const ignore = readFileSync(join(REPO, '.dockerignore'), 'utf8')
      .split('\n')
      .map((l) => l.trim())
      .filter((l) => l && !l.startsWith('#'));
    assert.equal(ignore[0], '*', 'everything is left out first');
    const allowed = ignore.filter((l) => l.startsWith('!')).map((l) => l.slice(1).replace(/\/$/, ''));
    for (const [src] of allCopies) {
      assert.ok(existsSync(join(REPO, src)), `${src} exists`);
      assert.ok(
        allowed.some((a) => src === a || src.startsWith(`${a}/`)),
        `${src} is let back in by .dockerignore`,
      );
    }
    // Nothing is let in that the image does not copy.
    for (const a of allowed)
      assert.ok(
        allCopies.some(([src]) => src === a),
        `.dockerignore lets in ${a}, which no COPY uses`,
      );
  });
});

describe("the image's files", () => {
  const dir = mkdtempSync(join(tmpdir(), 'brook-deploy-image-'));
  after(() => rmSync(dir, { recursive: true, force: true }));

  test('run brook up on their own, and its health check passes once the processor has checkpointed', async () => {
    const app = join(dir, 'app');
    for (const [src, dest] of contextCopies) {
      mkdirSync(dirname(join(app, dest)), { recursive: true });
      cpSync(join(REPO, src), join(app, dest), { recursive: true });
    }
    // The dependencies stage's node_modules: the repository's stands in for it.
    symlinkSync(join(REPO, 'node_modules'), join(app, 'node_modules'), 'dir');
    const env = { PATH: process.env.PATH, NODE_ENV: 'production', BROOK_DATA_DIR: join(dir, 'data') };
    const up = spawn(
      process.execPath,
      ['bin/brook.js', 'up', '--no-generator', '--broker-port', '0', '--registry-port', '0', '--dashboard-port', '0', '--json', '--quiet'],
      { cwd: app, env },
    );
    let out = '';
    let errors = '';
    up.stdout.on('data', (d) => (out += d));
    up.stderr.on('data', (d) => (errors += d));
    const exited = new Promise<number | null>((resolve) => up.on('close', resolve));
    try {
      const ready = await new Promise<{ dashboardUrl: string }>((resolve, reject) => {
        up.stdout.on('data', () => {
          const line = out.split('\n').find((l) => l.startsWith('{'));
          if (line) resolve(JSON.parse(line));
        });
        void exited.then((code) => reject(new Error(`brook up exited with ${code}:\n${errors}`)));
      });
      const check = () =>
        new Promise<{ code: number | null; stdout: string }>((resolve) => {
          const child = spawn(process.execPath, ['deploy/container/healthcheck.ts'], {
            cwd: app,
            env: { ...env, BROOK_HEALTH_URL: new URL('api/health', ready.dashboardUrl).href },
          });
          let stdout = '';
          child.stdout.on('data', (d) => (stdout += d));
          child.on('close', (code) => resolve({ code, stdout }));
        });
      // The first checkpoint follows the consumer group's first assignment, a few seconds in.
      let result = await check();
      for (let i = 0; i < 60 && !result.stdout.includes('last checkpoint'); i++) {
        assert.equal(result.code, 0, `healthy while starting: ${result.stdout}`);
        await new Promise((r) => setTimeout(r, 500));
        result = await check();
      }
      assert.equal(result.code, 0, result.stdout);
      assert.match(result.stdout, /^healthy: last checkpoint \d+ s ago/);
    } finally {
      up.kill('SIGTERM');
    }
    assert.equal(await exited, 0, errors);
  });
});
