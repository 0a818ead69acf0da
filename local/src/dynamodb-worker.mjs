// The embedded DynamoDB (dynalite) on its own thread, so that storage work and the pipeline's
// own parsing run on two cores, as they would in AWS. Plain JavaScript: workers start without tsx.
import { parentPort, workerData } from 'node:worker_threads';
import dynalite from 'dynalite';

const server = dynalite({ path: workerData.path, createTableMs: 0, deleteTableMs: 0, updateTableMs: 0 });
server.on('error', (err) => parentPort.postMessage({ error: String(err?.stack ?? err) }));
server.listen(0, '127.0.0.1', () => parentPort.postMessage({ port: server.address().port }));
parentPort.on('message', (message) => {
  if (message === 'close') server.close(() => parentPort.close());
});
