/** The Web Workers' script: the operations the app's tasks use (array, dataframe), then serve. */
import '@pdask/array/web-worker';
import '@pdask/dataframe/web-worker';
