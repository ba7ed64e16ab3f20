/**
 * Headers on every HTTP answer: the console may not be framed, sniffed or leak its URLs, and its
 * pages may load only from this origin. Next's App Router inlines its bootstrap scripts and
 * CodeMirror its styles, hence 'unsafe-inline' for those two (no third-party origin is allowed);
 * development mode also needs eval for fast refresh.
 */
export function browserSecurityHeaders(dev: boolean): ReadonlyArray<readonly [string, string]> {
  const csp = [
    "default-src 'self'",
    `script-src 'self' 'unsafe-inline'${dev ? " 'unsafe-eval'" : ''}`,
    "style-src 'self' 'unsafe-inline'",
    "img-src 'self' data: blob:",
    "font-src 'self' data:",
    `connect-src 'self'${dev ? ' ws: wss:' : ''}`,
    "object-src 'none'",
    "base-uri 'self'",
    "form-action 'self'",
    "frame-ancestors 'none'",
  ].join('; ')
  return [
    ['content-security-policy', csp],
    ['x-frame-options', 'DENY'],
    ['x-content-type-options', 'nosniff'],
    ['referrer-policy', 'same-origin'],
    ['cross-origin-opener-policy', 'same-origin'],
  ]
}
