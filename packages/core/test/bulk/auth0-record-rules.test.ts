import { checkAuth0Record, type ImportRecord } from '../../src';

const base = (extra: Partial<ImportRecord>): ImportRecord => ({ user_id: 'u1', email: 'a@example.com', ...extra }) as ImportRecord;

describe('checkAuth0Record: the rules a schema cannot express', () => {
  it.each([
    [{ user_metadata: { a: { 'b.c': 1 } } }, "user_metadata.a.b.c: metadata keys may not contain '.' or '$'."],
    [{ user_metadata: { list: [{}, { $x: 1 }] } }, "user_metadata.list[1].$x: metadata keys may not contain '.' or '$'."],
    [{ app_metadata: { plan: [[{ 'a.b': true }]] } }, "app_metadata.plan[0][0].a.b: metadata keys may not contain '.' or '$'."],
  ])('names the path of a metadata key with "." or "$" (%j)', (extra, reason) => {
    expect(checkAuth0Record(base(extra as Partial<ImportRecord>))).toEqual({ code: 'metadata_key_invalid', reason });
  });

  it('refuses reserved app_metadata keys and out-of-range lengths, and accepts a clean record', () => {
    expect(checkAuth0Record(base({ app_metadata: { plan: 'x', blocked: true } }))?.code).toBe('app_metadata_reserved_key');
    expect(checkAuth0Record(base({ nickname: 'n'.repeat(351) }))).toEqual({ code: 'field_length', reason: 'nickname must be 1–350 characters (it has 351).' });
    expect(checkAuth0Record(base({ given_name: '' }))?.code).toBe('field_length');
    expect(checkAuth0Record(base({ user_metadata: { nested: { ok: [1, { fine: 2 }] } }, app_metadata: { plan: 'gold' } }))).toBeNull();
  });
});
