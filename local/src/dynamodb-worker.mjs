// The embedded DynamoDB (dynalite) on its own thread, so that storage work and the pipeline's
// own parsing run on two cores, as they would in AWS. Plain JavaScript: workers start without tsx.
import { parentPort, workerData } from 'node:worker_threads';
import dynalite from 'dynalite';
import { signedOnly } from './emulator-guard.mjs';

const server = dynalite({ path: workerData.path, createTableMs: 0, deleteTableMs: 0, updateTableMs: 0 });
// Only requests signed with this run's keys reach dynalite. The SDK signs a declared hash of the
// body (x-amz-content-sha256), which proves nothing about the body that follows unless someone
// reads it. DynamoDB bodies are small (at most 25 items a batch), so the guard reads each one and
// checks its hash before handing it on: simpler than a client middleware, and it needs none.
const [dynaliteListener] = server.listeners('request');
server.removeAllListeners('request');
server.on(
  'request',
  signedOnly(dynaliteListener, { credentials: workerData.credentials, service: 'dynamodb', bufferBody: true }),
);
server.on('error', (err) => parentPort.postMessage({ error: String(err?.stack ?? err) }));
server.listen(0, '127.0.0.1', () => parentPort.postMessage({ port: server.address().port }));
parentPort.on('message', (message) => {
  if (message === 'close') server.close(() => parentPort.close());
  else if (message?.pause) pause(message.pause);
  else if (message?.resume) resume(message.resume);
});

// Erasure: LevelDB keeps deleted items in its files until they are rewritten, and dynalite does
// not expose its LevelDB. So the parent can pause dynalite (which closes its LevelDB), rewrite
// the files (local/src/compact.ts) and resume it: dynalite reopens them and listens again on the
// same port, so the clients' endpoint stays valid. Each message is answered with its id.
let port;
function pause(id) {
  port = server.address()?.port ?? port;
  server.close((err) => parentPort.postMessage({ paused: id, error: err ? String(err) : undefined }));
}
function resume(id) {
  const failed = (err) => parentPort.postMessage({ resumed: id, error: String(err?.stack ?? err) });
  server.once('error', failed);
  server.listen(port, '127.0.0.1', () => {
    server.off('error', failed);
    parentPort.postMessage({ resumed: id });
  });
}
