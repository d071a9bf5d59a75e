/**
 * Reading a fetch response body in full, with a size cap, into an {@link HttpResponse}.
 */
import { bodyTooLargeError, invalidJsonError, type RequestTarget } from './http-errors';
import type { HttpResponse } from './http-types';

/** Read the whole body, failing with `http_body_too_large` past `maxBodyBytes`. */
export async function readBody(response: Response, target: RequestTarget, maxBodyBytes: number): Promise<Buffer> {
  const declared = Number(response.headers.get('content-length') ?? Number.NaN);
  if (declared > maxBodyBytes) {
    await response.body?.cancel().catch(() => undefined);
    throw bodyTooLargeError(target, response.status, maxBodyBytes);
  }
  if (response.body === null) return Buffer.alloc(0);
  const reader = response.body.getReader();
  const chunks: Uint8Array[] = [];
  let size = 0;
  for (;;) {
    const { done, value } = await reader.read();
    if (done) break;
    size += value.byteLength;
    if (size > maxBodyBytes) {
      // Chunked or lying content-length: stop reading rather than buffer without bound.
      await reader.cancel().catch(() => undefined);
      throw bodyTooLargeError(target, response.status, maxBodyBytes);
    }
    chunks.push(value);
  }
  return Buffer.concat(chunks, size);
}

/** An {@link HttpResponse} over an already-read body. */
export class BufferedHttpResponse implements HttpResponse {
  readonly ok: boolean;

  constructor(
    readonly status: number,
    readonly headers: Headers,
    readonly body: Buffer,
    readonly attempts: number,
    private readonly target: RequestTarget,
  ) {
    this.ok = status >= 200 && status < 300;
  }

  text(): string {
    return this.body.toString('utf8');
  }

  json<T = unknown>(): T {
    try {
      return JSON.parse(this.text()) as T;
    } catch (err) {
      throw invalidJsonError(this.target, this.status, err);
    }
  }
}
