/** No password or API secret reaches logs or errors, on success, refusal or failure. */
import { FerryError } from '@ferry/core';
import { startFakeStormpath } from '@ferry/testkit';
import { connectFake, testContext } from './stormpath-fixture';

it('keeps passwords and the API key secret out of logs and errors', async () => {
  const password = 'Sup3r-Secret-Pa55phrase';
  const fake = await startFakeStormpath({ apiKeySecret: 'API-SECRET-6f1c2e', accounts: [{ email: 'sam@example.com', password }] });
  const context = testContext();
  const c = connectFake(fake, context);
  const bad = connectFake(fake, context, { apiKeySecret: 'WRONG-SECRET-9a8b' });
  const errors: string[] = [];
  const capture = (e: unknown) => errors.push(e instanceof FerryError ? JSON.stringify(e.toJSON()) + e.message + String(e.stack) : String(e));
  try {
    await c.login!('sam@example.com', password);
    await c.login!('sam@example.com', `${password}-wrong`);
    fake.inject({ kind: 500, times: 1, path: /loginAttempts/ });
    await c.login!('sam@example.com', password).catch(capture);
    fake.inject({ kind: 'reset', times: 2 });
    await c.getByEmail!('sam@example.com').catch(capture);
    await bad.login!('sam@example.com', password).catch(capture);
    await bad.getByEmail!('sam@example.com').catch(capture);
  } finally {
    await c.close?.();
    await bad.close?.();
    await fake.close();
  }
  expect(errors).toHaveLength(4);
  const everything = errors.join('\n') + context.logs();
  expect(context.logs().length).toBeGreaterThan(0);
  const basic = Buffer.from(`${fake.apiKeyId}:API-SECRET-6f1c2e`).toString('base64');
  const loginValue = Buffer.from(`sam@example.com:${password}`).toString('base64');
  for (const secret of [password, 'API-SECRET-6f1c2e', 'WRONG-SECRET-9a8b', basic, loginValue]) expect(everything).not.toContain(secret);
});
