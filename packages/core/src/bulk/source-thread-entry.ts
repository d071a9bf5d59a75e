/** Entry point of a bulk run's reading thread (see `source-thread.ts`). */
import { workerData } from 'node:worker_threads';
import { runThread, type ThreadData } from './source-thread';

void runThread(workerData as ThreadData);
