/** A Redis error as it may be logged: name and message, with any `user:password@` cut out of URLs in it. */
export function redisError(err: unknown): { name: string; message: string } {
  const error = err instanceof Error ? err : new Error(String(err));
  return { name: error.name, message: error.message.replace(/\/\/[^@/\s]*@/g, '//') };
}
