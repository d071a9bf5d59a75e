import { resolve } from 'node:path';
import { Flags } from '@oclif/core';
import { createRuntime, loadConfig, resolveServeConfig, startServe } from '@ferry/core';
import { FerryCommand } from '../ferry-command';

export default class Serve extends FerryCommand {
  static override summary = 'Run the secured HTTP API in front of the legacy store (Auth0 scripts, Keycloak, Kratos, Okta).';
  static override description = 'Settings come from the serve: section of ferry.yaml (see docs/SERVE.md). SIGTERM or SIGINT stops accepting connections, finishes in-flight requests and migrations, then exits.';
  static override examples = ['<%= config.bin %> serve', '<%= config.bin %> serve --port 8787 --host 0.0.0.0'];
  static override flags = {
    port: Flags.integer({ summary: 'Port to listen on (overrides serve.port; 0 picks a free one).', min: 0, max: 65535 }),
    host: Flags.string({ summary: 'Address to listen on (overrides serve.host).' }),
  };

  async run(): Promise<{ url: string; stopped: true }> {
    const { flags } = await this.parse(Serve);
    const loaded = loadConfig(resolve(flags.config));
    const serve = resolveServeConfig({
      ...loaded.config.serve,
      ...(flags.port === undefined ? {} : { port: flags.port }),
      ...(flags.host === undefined ? {} : { host: flags.host }),
    });
    const runtime = await createRuntime({ config: loaded.config, baseDir: loaded.baseDir, fromEnv: loaded.fromEnv, withoutStore: serve.backend === 'connector' });
    try {
      const handle = await startServe({ runtime, serve, version: this.config.version });
      const mode = serve.backend === 'engine' ? `engine, mode ${await runtime.engine().mode()}` : 'connector only (pure proxy)';
      this.log(`ferry serve listening on ${handle.url} (${mode}; ${handle.hashSlots.size} password hash(es) at once)`);
      const signal = await new Promise<string>((done) => {
        process.once('SIGTERM', () => done('SIGTERM'));
        process.once('SIGINT', () => done('SIGINT'));
      });
      this.logToStderr(`${signal}: finishing in-flight requests and migrations…`);
      await handle.close();
      this.log('ferry serve stopped');
      return { url: handle.url, stopped: true };
    } finally {
      await runtime.close();
    }
  }
}
