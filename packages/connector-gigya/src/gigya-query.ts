/**
 * Building `accounts.search` queries. User input only ever enters as a double-quoted
 * string literal with `\` and `"` escaped, so an email cannot end the literal and add
 * conditions (`" OR 1=1`). Control characters are refused outright.
 */
import { DataError } from '@ferry/core';

/** A Gigya query string literal for `value`. */
export function quote(value: string): string {
  // eslint-disable-next-line no-control-regex
  if (/[\u0000-\u001f\u007f]/.test(value)) throw new DataError('gigya_query_value_invalid', 'The value contains control characters and cannot be searched for.');
  return `"${value.replace(/\\/g, '\\\\').replace(/"/g, '\\"')}"`;
}

/**
 * The lookup query for an email. Gigya stores login IDs lower-cased and `=` is
 * case-sensitive, so the email is lower-cased; LIMIT 2 is enough to see ambiguity.
 */
export function emailQuery(fields: string, email: string): string {
  return `SELECT ${fields} FROM accounts WHERE loginIDs.emails = ${quote(email.trim().toLowerCase())} LIMIT 2`;
}

/** The export query: every account (or those matching `where`), in UID order so a restart can skip what was committed. */
export function exportQuery(batchSize: number, where: string | undefined): string {
  return `SELECT * FROM accounts${where === undefined ? '' : ` WHERE ${where}`} ORDER BY UID LIMIT ${batchSize}`;
}
