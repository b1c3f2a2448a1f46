/**
 * s3rver (an S3-protocol server on the file system) in a process of its own, so the memory it
 * uses is not the worker's. Prints `listening <port>`; exits on SIGTERM. Access key and secret:
 * S3RVER / S3RVER (s3rver checks both, and the signature).
 * argv: directory bucket...
 */
import S3rver from 's3rver';

async function main(): Promise<void> {
  const [directory, ...buckets] = process.argv.slice(2);
  const server = new S3rver({ port: 0, address: '127.0.0.1', silent: true, directory: directory as string, configureBuckets: buckets.map((name) => ({ name, configs: [] })) });
  const { port } = await server.run();
  process.stdout.write(`listening ${port}\n`);
  process.once('SIGTERM', () => void server.close().then(() => process.exit(0)));
}

void main();
