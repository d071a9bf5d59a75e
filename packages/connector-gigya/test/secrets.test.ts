/** No password, secret, user key signature or hash reaches logs or errors, on success, refusal or failure. */
import { FerryError } from '@ferry/core';
import { startFakeGigya } from '@ferry/testkit';
import { collect, connectFake, testContext } from './gigya-fixture';

it('keeps passwords, the secret, signatures and hashes out of logs and errors', async () => {
  const password = 'Sup3r-Secret-Pa55phrase';
  const secret = Buffer.from('GIGYA-SECRET-6f1c2e').toString('base64');
  const wrong = Buffer.from('WRONG-SECRET-9a8b').toString('base64');
  const hash = 'XMGVWTbeKf4Xd+CGiuEZde8x7QA=';
  const fake = await startFakeGigya({
    secret,
    accounts: [
      { email: 'sam@example.com', password },
      { email: 'odd@example.com', passwordHash: { hash: `${hash}broken`, hashSettings: { algorithm: 'pbkdf2', rounds: 10000, salt: 'wJuJqLoUFsdXa8k3sFhRlA==' } } },
    ],
  });
  const context = testContext();
  const c = connectFake(fake, context, { auth: 'signed' });
  const plain = connectFake(fake, context);
  const bad = connectFake(fake, context, { secret: wrong });
  const errors: string[] = [];
  const capture = (e: unknown) => errors.push(e instanceof FerryError ? JSON.stringify(e.toJSON()) + e.message + String(e.stack) : String(e));
  try {
    await c.login!('sam@example.com', password);
    await plain.login!('sam@example.com', `${password}-wrong`);
    fake.inject({ errorCode: 500001, times: 3 });
    await plain.login!('sam@example.com', password).catch(capture);
    fake.inject({ httpStatus: 502, times: 2 });
    await plain.getByEmail!('sam@example.com').catch(capture);
    await bad.login!('sam@example.com', password).catch(capture);
    await bad.getByEmail!('sam@example.com').catch(capture);
    const pages = await collect(plain);
    for (const r of pages.flatMap((p) => p.rejects ?? [])) errors.push(JSON.stringify(r));
  } finally {
    await c.close?.();
    await plain.close?.();
    await bad.close?.();
    await fake.close();
  }
  expect(errors).toHaveLength(5);
  const everything = errors.join('\n') + context.logs();
  expect(context.logs().length).toBeGreaterThan(0);
  const sigs = fake.requests.map((r) => r.params.sig).filter((s): s is string => s !== undefined);
  expect(sigs.length).toBeGreaterThan(0);
  for (const s of [password, secret, wrong, 'GIGYA-SECRET', hash.slice(0, 12), encodeURIComponent(secret), ...sigs]) expect(everything).not.toContain(s);
});
