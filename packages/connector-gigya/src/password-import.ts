/**
 * Turning a Gigya password object into the hash fields of an import record: Auth0's
 * `custom_password_hash` where Auth0 can verify it (pbkdf2 as `$pbkdf2-sha1$…` PHC,
 * salted md5/sha1/sha256/sha512, bcrypt), Ferry's structured hash otherwise. Parsing and
 * conversion are the core's (`toAuth0` knows Gigya's `{hash, hashSettings}`).
 */
import { FerryError, type ImportRecord, type JsonObject, toAuth0 } from '@ferry/core';
import type { GigyaPassword } from './gigya-account';

/** The hash fields of a record, or why the password cannot be carried over. */
export type PasswordImport =
  | { ok: true; fields: Pick<ImportRecord, 'password_hash' | 'custom_password_hash' | 'ferry_password_hash'> }
  | { ok: false; code: string; reason: string };

/** Map one account's `password` (absent or hash-less: no hash fields). */
export function importPassword(password: GigyaPassword | undefined): PasswordImport {
  if (password === undefined || password === null || typeof password.hash !== 'string' || password.hash === '') return { ok: true, fields: {} };
  const structured = { algorithm: 'gigya', hash: password.hash, hashSettings: (password.hashSettings ?? {}) as JsonObject };
  try {
    const conversion = toAuth0(structured);
    if ('unsupported' in conversion) return { ok: true, fields: { ferry_password_hash: structured } };
    return { ok: true, fields: conversion };
  } catch (err) {
    // The core's hash errors name the scheme and the rule broken, never the hash.
    if (err instanceof FerryError) return { ok: false, code: err.code, reason: `${err.message} The user can migrate by trickle login.` };
    throw err;
  }
}
