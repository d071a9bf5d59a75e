/**
 * Turning an exported Stormpath password into the hash fields of an import record:
 * Auth0's own fields where Auth0 can verify the hash, Ferry's `ferry_password_hash`
 * where only Ferry can. Parsing and conversion are the core's (`toAuth0`).
 */
import { FerryError, toAuth0, type ImportRecord } from '@ferry/core';

/** The hash fields of a record, or why the password cannot be carried over. */
export type PasswordImport =
  | { ok: true; fields: Pick<ImportRecord, 'password_hash' | 'custom_password_hash' | 'ferry_password_hash'> }
  | { ok: false; code: string; reason: string };

const KNOWN_PREFIX = /^\$(2[abxy]|stormpath1|stormpath2)\$/;

/**
 * Map one `password` value. bcrypt and `$stormpath2$` go to Auth0's fields when Auth0
 * can verify them (bcrypt; single-iteration MD5/SHA-1/SHA-256/SHA-512), otherwise to
 * `ferry_password_hash`. `$stormpath1$` always stays with Ferry: its layout has no
 * published spec, so Ferry verifies it and re-hashes on the first login that matches.
 */
export function importPassword(password: string | null | undefined): PasswordImport {
  if (password === undefined || password === null || password === '') return { ok: true, fields: {} };
  const prefix = KNOWN_PREFIX.exec(password)?.[1];
  if (prefix === undefined) {
    const shown = /^\$[A-Za-z0-9-]{1,16}\$/.exec(password)?.[0] ?? 'no $…$ prefix';
    return { ok: false, code: 'hash_unsupported', reason: `Unknown Stormpath password format (${shown}); the user can migrate by trickle login.` };
  }
  try {
    const conversion = toAuth0(password);
    if (prefix === 'stormpath1' || 'unsupported' in conversion) return { ok: true, fields: { ferry_password_hash: password } };
    return { ok: true, fields: conversion };
  } catch (err) {
    // The core's hash errors name the scheme and the rule broken, never the hash.
    if (err instanceof FerryError) return { ok: false, code: err.code, reason: err.message };
    throw err;
  }
}
