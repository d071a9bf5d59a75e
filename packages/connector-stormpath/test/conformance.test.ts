/** The connector conformance kit against the fake Stormpath API. */
import { runConnectorConformance } from '@ferry/core/testing';
import { type FakeStormpath, startFakeStormpath } from '@ferry/testkit';
import { createStormpathConnector } from '../src';
import { connectFake, fakeConfig, testContext } from './stormpath-fixture';

let fake: FakeStormpath;

beforeAll(async () => {
  fake = await startFakeStormpath({
    accounts: [
      { email: 'alice@example.com', password: 'Alice-pa55word', givenName: 'Alice', surname: 'Liddell', customData: { plan: 'pro' }, groups: ['admins'] },
      { email: 'bob@example.com', password: 'Bob-pa55word', username: 'bobby' },
      // Substring neighbours of alice: a `?q=` search would return them too.
      { email: 'malice@example.com', password: 'x-Malice-1' },
      { email: 'alice@example.com.evil', password: 'x-Evil-1' },
    ],
  });
  for (let i = 0; i < 230; i++) fake.addAccount({ email: `filler${i}@example.com`, password: `Filler-${i}` });
});

afterAll(() => fake.close());

runConnectorConformance('stormpath', {
  connector: async () => connectFake(fake, testContext()),
  failingConnector: async () => {
    const context = testContext();
    return createStormpathConnector(fakeConfig(fake, { baseUrl: 'http://127.0.0.1:9/v1' }), context);
  },
  user: { identifier: 'alice@example.com', email: 'alice@example.com', password: 'Alice-pa55word' },
  otherUser: { identifier: 'bobby', email: 'bob@example.com', password: 'Bob-pa55word' },
  unknownIdentifier: 'nobody@example.com',
  expectedExportCount: 234,
});
