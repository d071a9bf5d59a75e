/** The fake Stormpath API and the Stormpath export-directory generator. */
export { type FakeLoginBlock, type FakeStormpathAccountInput } from './fake-accounts';
export { type FakeFailure, type FakeStormpath, type FakeStormpathOptions, type FakeStormpathRequest, startFakeStormpath } from './fake-stormpath-server';
export {
  type StormpathExportAccount,
  type StormpathExportPasswordFormat,
  stormpathExportAccountAt,
  type WriteStormpathExportOptions,
  type WriteStormpathExportResult,
  writeStormpathExport,
} from './stormpath-export-writer';
