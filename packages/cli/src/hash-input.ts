/**
 * Reading a hash argument: a self-describing string, or a structured hash as JSON.
 */
import { ConfigError, type LegacyHash } from '@ferry/core';

/** Parse `text` as a structured JSON hash when it looks like one, else keep the string. */
export function parseHashArgument(text: string): LegacyHash {
  const trimmed = text.trim();
  if (!trimmed.startsWith('{')) return trimmed;
  try {
    const value = JSON.parse(trimmed) as unknown;
    if (value !== null && typeof value === 'object' && !Array.isArray(value)) return value as LegacyHash;
  } catch {
    // fall through to the error below
  }
  throw new ConfigError('hash_json_invalid', 'The hash starts with "{" but is not a JSON object.', {
    hint: 'Quote the JSON for your shell, e.g. --hash \'{"algorithm":"sha256","hash":{"value":"…","encoding":"hex"}}\'.',
  });
}
