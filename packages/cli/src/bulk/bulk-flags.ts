/** Flags shared by the bulk commands (export, import, migrate). */
import { Flags } from '@oclif/core';

export const bulkFlags = {
  resume: Flags.boolean({ summary: 'Continue the stopped run where it left off (nothing lost, nothing duplicated).', exclusive: ['restart'] }),
  restart: Flags.boolean({ summary: 'Discard the earlier run (its state and outputs) and start over.', exclusive: ['resume'] }),
  'dry-run': Flags.boolean({ summary: 'Read, check and count everything; write nothing.' }),
  'batch-size': Flags.integer({ summary: 'Records per committed batch (one transaction each).', default: 1000, min: 1, max: 10000 }),
};
