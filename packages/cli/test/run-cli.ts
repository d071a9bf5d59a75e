/**
 * Runs the built `ferry` binary as a user would, with stdin, env and a working dir.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { join } from 'node:path';

export const FERRY_BIN = join(__dirname, '..', 'bin', 'run.js');

export interface CliResult {
  code: number | null;
  stdout: string;
  stderr: string;
  json: () => unknown;
}

export function ferry(args: string[], options: { cwd: string; stdin?: string; env?: NodeJS.ProcessEnv; timeoutMs?: number; onSpawn?: (child: ChildProcess) => void }): Promise<CliResult> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, [FERRY_BIN, ...args], {
      cwd: options.cwd,
      env: withoutFerryConfig({ ...process.env, ...options.env }),
      stdio: ['pipe', 'pipe', 'pipe'],
    });
    options.onSpawn?.(child);
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (d: Buffer) => (stdout += d.toString()));
    child.stderr.on('data', (d: Buffer) => (stderr += d.toString()));
    const timer = setTimeout(() => child.kill('SIGKILL'), options.timeoutMs ?? 60000);
    child.on('error', reject);
    child.on('close', (code) => {
      clearTimeout(timer);
      resolve({ code, stdout, stderr, json: () => JSON.parse(stdout) as unknown });
    });
    child.stdin.end(options.stdin ?? '');
  });
}

function withoutFerryConfig(env: NodeJS.ProcessEnv): NodeJS.ProcessEnv {
  const { FERRY_CONFIG: _ignored, ...rest } = env;
  return rest;
}
