/** The page's Web Worker: dataframe's and ml's catalogues (ml's brings array's), then serve. */
import '@pdask/dataframe/web-worker';
import '@pdask/ml/web-worker';
import { serveWorker } from '@pdask/core/web-worker';

serveWorker();
