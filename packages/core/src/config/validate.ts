/**
 * JSON Schema validation (ajv) with errors a person can act on: the key, what is wrong
 * with its value, and how to fix it. Used for ferry.yaml and every connector's config.
 */
import Ajv, { type ErrorObject, type ValidateFunction } from 'ajv';
import addFormats from 'ajv-formats';
import { ConfigError } from '../errors';

let shared: Ajv | undefined;

/** The shared ajv instance, with formats and Ferry's `x-secret` annotation keyword. */
export function ajv(): Ajv {
  if (shared === undefined) {
    shared = new Ajv({ allErrors: true, strict: true, useDefaults: true, allowUnionTypes: true });
    addFormats(shared);
    shared.addKeyword({ keyword: 'x-secret', schemaType: 'boolean' });
    shared.addKeyword({ keyword: 'x-hint', schemaType: 'string' });
  }
  return shared;
}

const compiled = new WeakMap<object, ValidateFunction>();

function keyOf(prefix: string, e: ErrorObject): string {
  const parts = e.instancePath.split('/').slice(1).map((p) => p.replace(/~1/g, '/').replace(/~0/g, '~'));
  if (e.keyword === 'required') parts.push((e.params as { missingProperty: string }).missingProperty);
  if (e.keyword === 'additionalProperties') parts.push((e.params as { additionalProperty: string }).additionalProperty);
  const joined = parts.map((p) => (/^\d+$/.test(p) ? `[${p}]` : `.${p}`)).join('');
  return `${prefix}${joined}`.replace(/^\./, '');
}

function describe(e: ErrorObject): string {
  const p = e.params as Record<string, unknown>;
  switch (e.keyword) {
    case 'required':
      return 'is required but missing';
    case 'additionalProperties':
      return 'is not a known setting';
    case 'enum':
      return `must be one of: ${(p.allowedValues as unknown[]).map((v) => JSON.stringify(v)).join(', ')}`;
    case 'type':
      return `must be ${String(p.type)}`;
    case 'pattern':
      return `does not have the expected form (${String(p.pattern)})`;
    default:
      return e.message ?? 'is invalid';
  }
}

/** Find the `x-hint` of the schema node an error points at, if any. */
function hintFor(schema: unknown, e: ErrorObject): string | undefined {
  let node = schema as Record<string, unknown> | undefined;
  const parts = e.instancePath.split('/').slice(1);
  if (e.keyword === 'required') parts.push((e.params as { missingProperty: string }).missingProperty);
  for (const part of parts) {
    const props = node?.properties as Record<string, Record<string, unknown>> | undefined;
    node = props?.[part] ?? (node?.items as Record<string, unknown> | undefined);
  }
  return typeof node?.['x-hint'] === 'string' ? node['x-hint'] : undefined;
}

/**
 * Validate `value` against `schema` (defaults are filled in place). Throws one
 * ConfigError listing every problem as `key: problem`.
 */
export function validateConfig<T>(schema: object, value: unknown, where: string, keyPrefix = ''): T {
  let validate = compiled.get(schema);
  if (validate === undefined) {
    validate = ajv().compile(schema);
    compiled.set(schema, validate);
  }
  if (validate(value)) return value as T;
  const errors = (validate.errors ?? []).filter((e) => e.keyword !== 'if' && e.keyword !== 'anyOf' && e.keyword !== 'oneOf');
  const lines = errors.map((e) => {
    const hint = hintFor(schema, e);
    return `  - ${keyOf(keyPrefix, e) || '(top level)'}: ${describe(e)}${hint ? ` (${hint})` : ''}`;
  });
  throw new ConfigError('config_invalid', `${where} is not valid:\n${[...new Set(lines)].join('\n')}`, {
    hint: `Fix the keys listed above in ${where}. 'ferry init' writes a commented template.`,
    details: { problems: errors.map((e) => ({ key: keyOf(keyPrefix, e), problem: describe(e) })) },
  });
}

/** Dotted paths of fields marked `"x-secret": true` in a schema. */
export function secretPaths(schema: unknown, prefix = ''): string[] {
  const node = schema as Record<string, unknown> | undefined;
  if (node === undefined || node === null || typeof node !== 'object') return [];
  const out: string[] = [];
  if (node['x-secret'] === true && prefix) out.push(prefix);
  const props = node.properties as Record<string, unknown> | undefined;
  for (const [k, v] of Object.entries(props ?? {})) out.push(...secretPaths(v, prefix ? `${prefix}.${k}` : k));
  return out;
}
