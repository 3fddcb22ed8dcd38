/** The Web Workers' script: the operations the app's tasks use (array, dataframe), then serve. */
import '@pdask/array/web-worker';
import { dataframeOps } from '@pdask/dataframe/ops';
import { serveWorker } from '@pdask/core/web-worker';

// Until @pdask/dataframe ships its own web-worker entry, its catalogue is registered here.
serveWorker(dataframeOps);
