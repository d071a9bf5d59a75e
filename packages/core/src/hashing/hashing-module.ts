/** DI wiring for the hashing service. */
import { ContainerModule } from 'inversify';
import type { HashCostLimits } from '../contracts/password-hash';
import { PasswordHashing } from '../contracts/password-hashing';
import { PasswordHashingService } from './password-hashing-service';

/**
 * Binds {@link PasswordHashingService} (with `limits` over the defaults, e.g. ferry.yaml's
 * `hashing.limits`) to itself and aliases the `PasswordHashing` token to it, both in
 * singleton scope. Tests rebind `PasswordHashing`.
 */
export function createHashingModule(limits: Partial<HashCostLimits> = {}): ContainerModule {
  return new ContainerModule((options) => {
    options.bind(PasswordHashingService).toDynamicValue(() => new PasswordHashingService(limits)).inSingletonScope();
    options.bind(PasswordHashing).toService(PasswordHashingService);
  });
}

/** {@link createHashingModule} with the default limits. */
export const hashingModule = createHashingModule();
