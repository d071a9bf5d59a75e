import { classifyNetworkError } from '../../src/http/http-errors';

describe('classifyNetworkError', () => {
  it('finds the system code inside fetch’s "fetch failed" wrapper', () => {
    const refused = new TypeError('fetch failed', { cause: Object.assign(new Error('connect ECONNREFUSED 127.0.0.1:1'), { code: 'ECONNREFUSED' }) });
    expect(classifyNetworkError(refused)).toEqual({ code: 'http_network', systemCode: 'ECONNREFUSED' });
    const headers = new TypeError('fetch failed', { cause: Object.assign(new Error('Headers Timeout Error'), { code: 'UND_ERR_HEADERS_TIMEOUT' }) });
    expect(classifyNetworkError(headers)).toEqual({ code: 'http_timeout', systemCode: 'UND_ERR_HEADERS_TIMEOUT' });
  });

  it('recognises undici errors flattened to a string by another realm', () => {
    const flattened = new TypeError('fetch failed', { cause: new Error('BodyTimeoutError: Body Timeout Error') });
    expect(classifyNetworkError(flattened)).toEqual({ code: 'http_timeout', systemCode: 'UND_ERR_BODY_TIMEOUT' });
  });

  it('treats abort-by-timeout as a timeout and unknown failures as network errors', () => {
    expect(classifyNetworkError(new DOMException('timed out', 'TimeoutError')).code).toBe('http_timeout');
    expect(classifyNetworkError({ code: 'ECONNRESET', message: 'socket hang up' })).toEqual({ code: 'http_network', systemCode: 'ECONNRESET' });
    expect(classifyNetworkError('boom')).toEqual({ code: 'http_network', systemCode: undefined });
  });
});
