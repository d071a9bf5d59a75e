/**
 * `@ferry/core/testing`: what connector authors use in their tests.
 */
export { runConnectorConformance, type ConformanceFixture, type ConformanceUser } from './conformance';
