/**
 * `${ENV_VAR}` interpolation for ferry.yaml, so secrets stay out of the file.
 * `${VAR:-default}` supplies a default; `$${` writes a literal `${`.
 */
import { ConfigError } from '../errors';

const PATTERN = /\$\$\{|\$\{([A-Za-z_][A-Za-z0-9_]*)(?::-([^}]*))?\}/g;

/** Paths (dotted) whose string values came from an environment variable. */
export type InterpolatedPaths = Set<string>;

/**
 * Replace `${VAR}` in every string of `value`. Throws a ConfigError naming the key and
 * the variable when one is unset. Records which paths were interpolated in `seen`.
 */
export function interpolateEnv(value: unknown, env: NodeJS.ProcessEnv, seen: InterpolatedPaths = new Set(), path = ''): unknown {
  if (typeof value === 'string') {
    let used = false;
    const out = value.replace(PATTERN, (match, name: string | undefined, fallback: string | undefined) => {
      if (match === '$${') return '${';
      used = true;
      const v = env[name as string];
      if (v !== undefined && v !== '') return v;
      if (fallback !== undefined) return fallback;
      throw new ConfigError('config_env_missing', `${path || 'ferry.yaml'}: environment variable ${name} is not set.`, {
        hint: `Set ${name} in the environment (e.g. 'export ${name}=…'), or give a default with \${${name}:-value}.`,
        details: { key: path, variable: name },
      });
    });
    if (used) seen.add(path);
    return out;
  }
  if (Array.isArray(value)) return value.map((v, i) => interpolateEnv(v, env, seen, `${path}[${i}]`));
  if (value !== null && typeof value === 'object') {
    return Object.fromEntries(Object.entries(value).map(([k, v]) => [k, interpolateEnv(v, env, seen, path ? `${path}.${k}` : k)]));
  }
  return value;
}
