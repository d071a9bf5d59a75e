/** The connector conformance kit against the fake Gigya site, with plain and signed credentials. */
import { runConnectorConformance } from '@ferry/core/testing';
import { type FakeGigya, startFakeGigya } from '@ferry/testkit';
import { createGigyaConnector } from '../src';
import { connectFake, fakeConfig, testContext } from './gigya-fixture';

let fake: FakeGigya;

beforeAll(async () => {
  fake = await startFakeGigya({
    accounts: [
      { email: 'Alice@Example.com', password: 'Alice-pa55word', firstName: 'Alice', lastName: 'Liddell', data: { plan: 'pro' } },
      { email: 'bob@example.com', password: 'Bob-pa55word', username: 'bobby' },
      // Substring neighbours of alice: a contains-match would return them too.
      { email: 'malice@example.com', password: 'x-Malice-1' },
      { email: 'alice@example.com.evil', password: 'x-Evil-1' },
    ],
  });
  for (let i = 0; i < 230; i++) fake.addAccount({ email: `filler${i}@example.com`, password: `Filler-${i}` });
});

afterAll(() => fake.close());

for (const auth of ['secret', 'signed'] as const) {
  runConnectorConformance(`gigya (auth: ${auth})`, {
    connector: async () => connectFake(fake, testContext(), { auth, export: { batchSize: 100 } }),
    // Every call answers 500001 (general server error) until retries run out.
    failingConnector: async () => {
      fake.inject({ errorCode: 500001, times: 6 });
      return createGigyaConnector(fakeConfig(fake, { auth, retries: { maxAttempts: 3 } }), testContext());
    },
    user: { identifier: 'alice@example.com', email: 'alice@example.com', password: 'Alice-pa55word' },
    otherUser: { identifier: 'bobby', email: 'bob@example.com', password: 'Bob-pa55word' },
    unknownIdentifier: 'nobody@example.com',
    expectedExportCount: 234,
  });
}

describe('gigya: a data center that is down', () => {
  it('connection refused is transient too', async () => {
    const c = createGigyaConnector(fakeConfig(fake, { baseUrl: 'http://127.0.0.1:9/accounts.{dataCenter}' }), testContext());
    await expect(c.login!('alice@example.com', 'Alice-pa55word')).rejects.toMatchObject({ errorClass: 'transient' });
    await c.close?.();
  });
});
