/**
 * The injectable {@link HttpClientFactory} and the package's DI module for it.
 */
import { ContainerModule, inject, injectable } from 'inversify';
import { Logger } from '../logging/logger';
import { FetchHttpClient } from './http-client';
import { type HttpClient, HttpClientFactory, type HttpClientOptions } from './http-types';

/** Creates {@link FetchHttpClient}s that log through the injected {@link Logger}. */
@injectable()
export class DefaultHttpClientFactory implements HttpClientFactory {
  constructor(@inject(Logger) private readonly logger: Logger) {}

  create(options: HttpClientOptions = {}): HttpClient {
    return new FetchHttpClient(options, this.logger);
  }
}

/**
 * Binds {@link DefaultHttpClientFactory} as a singleton and aliases the
 * {@link HttpClientFactory} token to it. Needs a `Logger` binding.
 */
export const httpModule = new ContainerModule(({ bind }) => {
  bind(DefaultHttpClientFactory).toSelf().inSingletonScope();
  bind(HttpClientFactory).toService(DefaultHttpClientFactory);
});
