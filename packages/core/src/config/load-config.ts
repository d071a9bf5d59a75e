/**
 * Read ferry.yaml: parse with `yaml`, interpolate `${ENV}`, validate, fill defaults.
 */
import { readFileSync } from 'node:fs';
import { dirname, resolve } from 'node:path';
import { parse, YAMLParseError } from 'yaml';
import { ConfigError } from '../errors';
import { FERRY_CONFIG_SCHEMA, type FerryConfig } from './ferry-config';
import { interpolateEnv, type InterpolatedPaths } from './interpolate';
import { validateConfig } from './validate';

/** A loaded configuration and where it came from. */
export interface LoadedConfig {
  config: FerryConfig;
  /** Absolute path of the file. */
  path: string;
  /** Directory relative paths in the config resolve against. */
  baseDir: string;
  /** Dotted keys whose values came from environment variables. */
  fromEnv: InterpolatedPaths;
}

/** Parse and validate config text (exported for tests and `ferry init`). */
export function parseConfig(text: string, where: string, env: NodeJS.ProcessEnv = process.env): { config: FerryConfig; fromEnv: InterpolatedPaths } {
  let raw: unknown;
  try {
    raw = parse(text, { prettyErrors: true });
  } catch (err) {
    const pos = err instanceof YAMLParseError && err.linePos ? ` at line ${err.linePos[0].line}, column ${err.linePos[0].col}` : '';
    throw new ConfigError('config_yaml_invalid', `${where} is not valid YAML${pos}.`, {
      hint: 'Check indentation and quoting near that position.',
      cause: err,
    });
  }
  if (raw === null || typeof raw !== 'object' || Array.isArray(raw)) {
    throw new ConfigError('config_invalid', `${where} must be a YAML mapping with at least a 'connector:' section.`, {
      hint: "Run 'ferry init --connector <id>' to write a template.",
    });
  }
  const fromEnv: InterpolatedPaths = new Set();
  const interpolated = interpolateEnv(raw, env, fromEnv);
  const config = validateConfig<FerryConfig>(FERRY_CONFIG_SCHEMA, interpolated, where);
  return { config, fromEnv };
}

/** Load ferry.yaml from `path`. */
export function loadConfig(path: string, env: NodeJS.ProcessEnv = process.env): LoadedConfig {
  const abs = resolve(path);
  let text: string;
  try {
    text = readFileSync(abs, 'utf8');
  } catch (err) {
    const code = (err as NodeJS.ErrnoException).code;
    throw new ConfigError('config_not_found', code === 'ENOENT' ? `No config file at ${abs}.` : `Cannot read ${abs} (${code ?? 'error'}).`, {
      hint: "Create one with 'ferry init --connector <id>', or pass --config <path>.",
      cause: err,
    });
  }
  const { config, fromEnv } = parseConfig(text, path, env);
  return { config, path: abs, baseDir: dirname(abs), fromEnv };
}
