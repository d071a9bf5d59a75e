/**
 * Cost bounds. Every parser checks its cost parameters against these before doing any
 * work, so one hostile hash cannot pin a CPU or exhaust memory.
 */
import type { HashCostLimits } from '../contracts/password-hash';
import { costTooHigh } from './errors';

/** The defaults documented on {@link HashCostLimits}. */
export const DEFAULT_HASH_COST_LIMITS: Readonly<HashCostLimits> = Object.freeze({
  maxBcryptCost: 16,
  maxScryptN: 2 ** 20,
  maxScryptMemoryBytes: 256 * 1024 * 1024,
  maxIterations: 10_000_000,
  maxCryptRounds: 1_000_000,
  maxArgon2MemoryKiB: 1024 * 1024,
  maxArgon2TimeCost: 64,
});

/** No bounds at all: used by `identify`, which only parses and never computes. */
export const NO_COST_LIMITS: Readonly<HashCostLimits> = Object.freeze({
  maxBcryptCost: Number.MAX_SAFE_INTEGER,
  maxScryptN: Number.MAX_SAFE_INTEGER,
  maxScryptMemoryBytes: Number.MAX_SAFE_INTEGER,
  maxIterations: Number.MAX_SAFE_INTEGER,
  maxCryptRounds: Number.MAX_SAFE_INTEGER,
  maxArgon2MemoryKiB: Number.MAX_SAFE_INTEGER,
  maxArgon2TimeCost: Number.MAX_SAFE_INTEGER,
});

/** Defaults overridden by whatever the caller set. */
export function resolveLimits(overrides: Partial<HashCostLimits> = {}): HashCostLimits {
  const merged = { ...DEFAULT_HASH_COST_LIMITS };
  for (const key of Object.keys(merged) as (keyof HashCostLimits)[]) {
    const value = overrides[key];
    if (value !== undefined) {
      if (!Number.isFinite(value) || value <= 0) throw new RangeError(`HashCostLimits.${key} must be a positive number.`);
      merged[key] = value;
    }
  }
  return merged;
}

/** Throws `hash_cost_too_high` when `value` exceeds `limits[key]`, naming `key` so the user knows what to raise. */
export function assertCost(scheme: string, parameter: string, value: number, limits: HashCostLimits, key: keyof HashCostLimits): void {
  if (value > limits[key]) throw costTooHigh(scheme, parameter, value, limits[key], key);
}
