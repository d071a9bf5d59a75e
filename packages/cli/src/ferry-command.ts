/**
 * The base of every `ferry` command: `--config`, `--json`, loading the runtime, reading
 * passwords safely, and mapping errors to messages and exit codes in one place.
 */
import { resolve } from 'node:path';
import { Command, Flags } from '@oclif/core';
import { FerryError, connectorPackageRoots, connectorSearchPaths, createRuntime, loadConfig, type FerryRuntime, type RuntimeOptions } from '@ferry/core';
import { EXIT_BY_CLASS } from './exit-codes';
import { readPassword } from './password-input';

/** Base class of Ferry's commands. */
export abstract class FerryCommand extends Command {
  static override enableJsonFlag = true;

  static override baseFlags = {
    config: Flags.string({
      char: 'c',
      summary: 'Path to ferry.yaml.',
      default: 'ferry.yaml',
      env: 'FERRY_CONFIG',
      helpGroup: 'GLOBAL',
    }),
  };

  override async init(): Promise<void> {
    await super.init();
    // Connectors installed with the CLI, or with `ferry plugins install`, are found here.
    for (const dir of [resolve(__dirname, '..'), this.config.dataDir]) {
      if (!connectorSearchPaths.includes(dir)) connectorSearchPaths.push(dir);
    }
    // Plugins added with `ferry plugins install|link` are oclif plugins: register each by name.
    for (const plugin of this.config.getPluginsList()) connectorPackageRoots.set(plugin.name, plugin.root);
  }

  /** Load ferry.yaml and build a runtime; closes it after `use`. */
  protected async withRuntime<T>(configPath: string, options: Omit<RuntimeOptions, 'config' | 'baseDir' | 'fromEnv'>, use: (rt: FerryRuntime) => Promise<T>): Promise<T> {
    const loaded = loadConfig(resolve(configPath));
    const runtime = await createRuntime({ ...options, config: loaded.config, baseDir: loaded.baseDir, fromEnv: loaded.fromEnv });
    try {
      return await use(runtime);
    } finally {
      await runtime.close();
    }
  }

  /** Read a password from a hidden prompt, or from stdin with `--password-stdin`. */
  protected password(fromStdin: boolean, prompt = 'Password: '): Promise<string> {
    return readPassword({ fromStdin, prompt });
  }

  /** What the bulk commands' shared runner needs of a command. */
  protected bulkHost(): { jsonEnabled: () => boolean; logToStderr: (m: string) => void; say: (l: string) => void } {
    return { jsonEnabled: () => this.jsonEnabled(), logToStderr: (m) => this.logToStderr(m), say: (l) => this.say(l) };
  }

  /** Print a line in human mode only. */
  protected say(line = ''): void {
    if (!this.jsonEnabled()) this.log(line);
  }

  protected override async catch(err: Error & { exitCode?: number; oclif?: { exit?: number } }): Promise<unknown> {
    if (err instanceof FerryError) {
      if (this.jsonEnabled()) this.logJson({ error: err.toJSON() });
      else this.logToStderr(`error: ${err.message}${err.hint ? `\nhint: ${err.hint}` : ''}`);
      process.exitCode = EXIT_BY_CLASS[err.errorClass];
      return undefined;
    }
    return super.catch(err);
  }
}
