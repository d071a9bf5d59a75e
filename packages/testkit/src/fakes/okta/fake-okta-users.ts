/**
 * The fake Users API: `GET /api/v1/users/{id|login}` and `GET /api/v1/users` with
 * `limit` (max 200), opaque `after` cursors, `Link` headers, `filter` and `search`.
 */
import type { FakeReply } from './fake-okta-authn';
import type { FakeOktaDirectory, FakeOktaRecord } from './fake-okta-directory';
import { oktaError } from './fake-okta-errors';

function withLinks(record: FakeOktaRecord, baseUrl: string): object {
  return { ...record.json, _links: { self: { href: `${baseUrl}/api/v1/users/${String(record.json.id)}` } } };
}

/** `GET /api/v1/users/{id|login}`. */
export function getUser(directory: FakeOktaDirectory, idOrLogin: string, baseUrl: string): FakeReply {
  const record = directory.find(idOrLogin);
  if (record === undefined) return oktaError('E0000007', idOrLogin);
  return { status: 200, body: withLinks(record, baseUrl) };
}

/**
 * A predicate for the expression subset the fake understands: `field eq "value"` terms
 * joined by `or` / `and` (no parentheses), on status, id and profile.* fields.
 */
function parseExpression(expression: string): ((r: FakeOktaRecord) => boolean) | undefined {
  const ors = expression.split(/\s+or\s+/i).map((clause) =>
    clause.split(/\s+and\s+/i).map((term) => /^\s*([\w.]+)\s+eq\s+"([^"]*)"\s*$/i.exec(term)),
  );
  if (ors.some((ands) => ands.some((m) => m === null))) return undefined;
  return (record) =>
    ors.some((ands) =>
      ands.every((m) => {
        const [, field = '', value = ''] = m ?? [];
        const actual = field.startsWith('profile.') ? (record.json.profile as Record<string, unknown>)[field.slice(8)] : record.json[field];
        return String(actual).toLowerCase() === value.toLowerCase();
      }),
    );
}

const cursorOf = (id: string) => Buffer.from(id).toString('base64url');
const idOfCursor = (after: string) => Buffer.from(after, 'base64url').toString('utf8');

/** `GET /api/v1/users?…`. */
export function listUsers(directory: FakeOktaDirectory, query: URLSearchParams, baseUrl: string): FakeReply {
  const limit = Math.min(200, Math.max(1, Number(query.get('limit') ?? 200) || 200));
  const filter = query.get('filter');
  const search = query.get('search');
  const expression = search ?? filter;
  const predicate = expression === null ? undefined : parseExpression(expression);
  if (expression !== null && predicate === undefined) return oktaError('E0000001', `Invalid ${search === null ? 'filter' : 'search'} expression`);
  const after = query.get('after');
  const afterId = after === null ? undefined : idOfCursor(after);
  const all = directory.all();
  // Ids are sorted: find the first past the cursor by binary search (100k-user benchmarks).
  let lo = 0;
  if (afterId !== undefined) {
    let hi = all.length;
    while (lo < hi) {
      const mid = (lo + hi) >> 1;
      if (String(all[mid]?.json.id) <= afterId) lo = mid + 1;
      else hi = mid;
    }
  }
  const page: object[] = [];
  let last: FakeOktaRecord | undefined;
  let i = lo;
  for (; i < all.length && page.length < limit; i++) {
    const record = all[i] as FakeOktaRecord;
    // Without search, DEPROVISIONED users are left out (Okta's default list).
    if (search === null && record.status === 'DEPROVISIONED') continue;
    if (predicate !== undefined && !predicate(record)) continue;
    page.push(withLinks(record, baseUrl));
    last = record;
  }
  const rest = new URLSearchParams(query);
  rest.delete('after');
  const self = `<${baseUrl}/api/v1/users?${query.toString()}>; rel="self"`;
  let link = self;
  if (i < all.length && last !== undefined) {
    rest.set('after', cursorOf(String(last.json.id)));
    rest.set('limit', String(limit));
    link += `, <${baseUrl}/api/v1/users?${rest.toString()}>; rel="next"`;
  }
  return { status: 200, body: page, headers: { link } };
}
