/**
 * The crash window of an import: Auth0 may accept a file and create its job while the
 * process stops (or the answer is lost) before the job id is journaled. Auth0 has no way
 * to list jobs or find one by `external_id`, so the file is sent again on resume, and the
 * users the lost job imported come back from the new job as DUPLICATED_USER. This module
 * decides which sends count as possibly lost and puts those duplicates down to them.
 */
import { FerryError } from '../../errors';
import type { Auth0UnconfirmedSends } from './auth0-journal';
import type { Auth0UserError } from './auth0-types';

/** {@link Auth0UserError.verdict} of a duplicate put down to an unconfirmed earlier send. */
export const ALREADY_IMPORTED_BY_INTERRUPTED_JOB = 'already_imported_by_interrupted_job';

/**
 * Whether Auth0 answered a send with a refusal, so it created no job: any 4xx, a 429
 * included. Timeouts, network errors and 5xx leave the outcome unknown.
 */
export function refusedWithoutJob(error: unknown): boolean {
  if (!(error instanceof FerryError)) return false;
  if (error.code === 'http_rate_limited') return true;
  const status = error.details?.status;
  return typeof status === 'number' && status >= 400 && status < 500;
}

/** Where a resent file's duplicates most likely came from, for the reason given to the operator. */
export interface EarlierSends {
  sends: Auth0UnconfirmedSends;
  /** The `external_id` both the lost job and this one carry: how to find the lost one in Auth0's logs. */
  externalId: string;
  jobId: string;
}

/**
 * The job's per-user errors with each user whose only error is DUPLICATED_USER marked as
 * already imported by the unconfirmed earlier send. Auth0's code is kept (it is what Auth0
 * said); the verdict and the reason carry Ferry's reading. A user that existed before the
 * run is indistinguishable here, hence "probably". Other errors are left as they are.
 */
export function creditEarlierSends(errors: Auth0UserError[], earlier: EarlierSends): { errors: Auth0UserError[]; alreadyImported: number } {
  const reason = reasonFor(earlier);
  let alreadyImported = 0;
  const credited = errors.map((error) => {
    if (!onlyDuplicate(error)) return error;
    alreadyImported++;
    return { ...error, verdict: ALREADY_IMPORTED_BY_INTERRUPTED_JOB, message: `${reason}; Auth0 said: ${error.message}` } satisfies Auth0UserError;
  });
  return { errors: credited, alreadyImported };
}

/** What to add to the failure of a resent file's job: the lost job may have imported some of its users. */
export function lostJobCaveat({ sends, externalId }: EarlierSends): string {
  return `an interrupted earlier upload of this file (${when(sends)}; external_id ${externalId}) may have imported some of its users`;
}

function onlyDuplicate(error: Auth0UserError): boolean {
  return error.code === 'DUPLICATED_USER' && (error.codes ?? []).every((code) => code === 'DUPLICATED_USER');
}

function reasonFor({ sends, externalId, jobId }: EarlierSends): string {
  return (
    `Already in Auth0: probably imported by an interrupted earlier upload of this file whose job id was never recorded ` +
    `(${when(sends)}; external_id ${externalId}, as on this file's job ${jobId})`
  );
}

function when(sends: Auth0UnconfirmedSends): string {
  return sends.count === 1 ? `sent ${sends.since}` : `${sends.count} sends, the first ${sends.since}`;
}
