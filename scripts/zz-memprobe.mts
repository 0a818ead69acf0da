const mb = (b: number) => Math.round(b / 1048576);
const show = (label: string) => {
  const m = process.memoryUsage();
  console.error(
    label,
    'rss',
    mb(m.rss),
    'heapTotal',
    mb(m.heapTotal),
    'heapUsed',
    mb(m.heapUsed),
    'external',
    mb(m.external),
    'ab',
    mb(m.arrayBuffers),
    'maxRSS',
    Math.round(process.resourceUsage().maxRSS / 1024),
  );
};
show('start');
const sdk = await import('@aws-sdk/client-s3');
await import('@aws-sdk/lib-dynamodb');
show('sdk loaded');
const { startEmbeddedStack } = await import('/work/main/local/src/embedded.js');
show('embedded module loaded');
const stack = await startEmbeddedStack('/tmp/st2');
show('stack started');
await import('/work/main/functions/ingest/ingest-handler.js');
show('handler loaded');
await stack.close();
show('closed');
