// Shared pieces of the certificate tests: throwaway directories, the independent verifiers
// (openssl, keytool) run without throwing so a test can assert on their output, and
// `brook certs` run in-process with captured output.
import { spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createCertsCommand } from '../../src/cli/certs-command.ts';
import { type CliResult, runCli } from '../cli/ops/helpers.ts';

export interface ToolResult {
  code: number | null;
  stdout: string;
  stderr: string;
}

function run(cmd: string, args: string[], input?: string | Buffer): ToolResult {
  const r = spawnSync(cmd, args, { input, encoding: 'utf8', timeout: 60_000 });
  if (r.error) throw r.error;
  return { code: r.status, stdout: r.stdout, stderr: r.stderr };
}

export const openssl = (...args: string[]): ToolResult => run('/usr/bin/openssl', args);
export const keytool = (...args: string[]): ToolResult => run('/usr/bin/keytool', args);

/** A fresh directory, removed when `after` runs. */
export function scratchDir(after: (fn: () => void) => void, prefix = 'brook-certs-'): string {
  const dir = mkdtempSync(join(tmpdir(), prefix));
  after(() => rmSync(dir, { recursive: true, force: true }));
  return dir;
}

export const modeOf = (path: string): number => statSync(path).mode & 0o777;

export function certs(...argv: string[]): Promise<CliResult> {
  return runCli(createCertsCommand, argv);
}

export const DAY_MS = 86_400_000;
export const daysAgo = (n: number): Date => new Date(Date.now() - n * DAY_MS);
