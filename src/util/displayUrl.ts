/**
 * A URL safe to print: user name and password removed, query string dropped (it may carry a token).
 * Unparseable input is returned cut short, never with what looks like credentials.
 */
export function displayUrl(url: string | URL): string {
  try {
    const u = new URL(String(url));
    u.username = '';
    u.password = '';
    u.search = '';
    u.hash = '';
    return u.toString();
  } catch {
    return String(url).replace(/\/\/[^@/]*@/, '//').slice(0, 200);
  }
}
