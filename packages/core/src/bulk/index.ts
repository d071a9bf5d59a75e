/** The bulk pipeline: sources, record rules, sinks and the resumable run. */
export * from './bulk-types';
export * from './auth0-record-rules';
export * from './record-preparation';
export * from './report-file';
export * from './files-sink';
export * from './store-sink';
export * from './file-source';
export * from './bulk-run';
export { SOURCE_THREAD_HEAP_MB, SOURCE_THREAD_OUT_OF_MEMORY, sourceRecipe, type SourceHeap, type SourceRecipe } from './source-thread';
export * from './verify-run';
export * from './partitioned-run';
