/** DI wiring for the hashing service. */
import { ContainerModule } from 'inversify';
import { PasswordHashing } from '../contracts/password-hashing';
import { PasswordHashingService } from './password-hashing-service';

/**
 * Binds {@link PasswordHashingService} to itself and aliases the `PasswordHashing` token to
 * it, both in singleton scope. Rebind `PasswordHashing` in tests or to pass custom limits.
 */
export const hashingModule = new ContainerModule((options) => {
  options.bind(PasswordHashingService).toDynamicValue(() => new PasswordHashingService()).inSingletonScope();
  options.bind(PasswordHashing).toService(PasswordHashingService);
});
