/** The page's Web Worker: the catalogues its tasks use, then serve. */
import '@pdask/array/web-worker';
import '@pdask/bag/web-worker';
import { serveWorker } from '@pdask/core/web-worker';

serveWorker();
