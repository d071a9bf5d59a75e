/** Gigya's response envelope and the error codes the fake answers with (always HTTP 200). */
import { randomBytes } from 'node:crypto';

/** errorCode → [errorMessage, statusCode, statusReason], as Gigya's reference lists them. */
export const FAKE_GIGYA_ERRORS: Readonly<Record<number, [string, number, string]>> = {
  206001: ['Account Pending Registration', 206, 'Partial Content'],
  206002: ['Account Pending Verification', 206, 'Partial Content'],
  301001: ['Invalid data center', 301, 'Moved Permanently'],
  400002: ['Missing required parameter', 400, 'Bad Request'],
  400006: ['Invalid parameter value', 400, 'Bad Request'],
  400093: ['Invalid ApiKey parameter', 400, 'Bad Request'],
  403002: ['Request has expired', 403, 'Forbidden'],
  403003: ['Invalid request signature', 403, 'Forbidden'],
  403005: ['Unauthorized user', 403, 'Forbidden'],
  403041: ['Account Disabled', 403, 'Forbidden'],
  403042: ['Invalid LoginID', 403, 'Forbidden'],
  403048: ['Api rate limit exceeded', 403, 'Forbidden'],
  403100: ['Pending Password Change', 403, 'Forbidden'],
  403101: ['Pending Two-Factor Authentication', 403, 'Forbidden'],
  403120: ['Account temporarily locked out', 403, 'Forbidden'],
  409030: ['Too many concurrent requests for the same user', 409, 'Conflict'],
  500001: ['General Server Error', 500, 'Internal Server Error'],
  504001: ['Timeout', 504, 'Gateway Timeout'],
};

/** A Gigya response body. */
export type GigyaBody = Record<string, unknown> & { errorCode: number };

/** A success envelope around `fields`. */
export function okEnvelope(fields: Record<string, unknown> = {}): GigyaBody {
  return { callId: randomBytes(16).toString('hex'), errorCode: 0, apiVersion: 2, statusCode: 200, statusReason: 'OK', time: new Date().toISOString(), ...fields };
}

/** An error envelope for `code` (still HTTP 200 on the wire). */
export function errorEnvelope(code: number, details?: string, fields: Record<string, unknown> = {}): GigyaBody {
  const [message, statusCode, statusReason] = FAKE_GIGYA_ERRORS[code] ?? ['Error', 500, 'Internal Server Error'];
  return {
    callId: randomBytes(16).toString('hex'),
    errorCode: code,
    errorMessage: message,
    ...(details === undefined ? {} : { errorDetails: details }),
    apiVersion: 2,
    statusCode,
    statusReason,
    time: new Date().toISOString(),
    ...fields,
  };
}
