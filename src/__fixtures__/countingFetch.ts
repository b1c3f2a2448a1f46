/** A fetch that counts `GET /object_info` and can rewrite its answers (by call number, 1-based). */
export function countingFetch(rewrite?: (answer: Record<string, unknown>, call: number) => Record<string, unknown>) {
  const counter = { objectInfo: 0 };
  const wrapped: typeof fetch = async (input, init) => {
    const url = String(input instanceof Request ? input.url : input);
    const response = await fetch(input, init);
    if (!new URL(url).pathname.endsWith('/object_info')) return response;
    counter.objectInfo++;
    if (!rewrite) return response;
    const body = rewrite((await response.json()) as Record<string, unknown>, counter.objectInfo);
    return new Response(JSON.stringify(body), { status: 200, headers: { 'content-type': 'application/json' } });
  };
  return { fetch: wrapped, counter };
}
