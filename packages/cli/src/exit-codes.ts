/**
 * Exit codes of the `ferry` command, by error class (documented in the README).
 */
import type { ErrorClass } from '@ferry/core';

/** 1: the answer was "no" (login refused, user not found). */
export const EXIT_NEGATIVE = 1;

/** Exit code for each error class. */
export const EXIT_BY_CLASS: Record<ErrorClass, number> = {
  config: 2,
  data: 3,
  transient: 4,
  auth: 5,
  internal: 70,
};
