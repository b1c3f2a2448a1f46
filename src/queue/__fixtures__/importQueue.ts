/** Imports `comfyui-rx/queue` and prints `loaded`, or the error it threw as one JSON line. */
try {
  require('../index');
  console.log('loaded');
} catch (err) {
  const { name, code, message, packages } = err as { name: string; code?: string; message: string; packages?: string[] };
  console.log(JSON.stringify({ name, code, message, packages }));
}
