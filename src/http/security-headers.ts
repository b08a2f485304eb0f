/**
 * The security headers of every API answer: what OWASP's REST Security Cheat Sheet asks of an API
 * (its answers are data, never pages to frame or scripts to run), and a cross-origin resource
 * policy that lets dashboards elsewhere read it (CORS decides which). A constant, set with the
 * answer's other headers: @fastify/helmet builds helmet's middleware anew for every request
 * (about 90 µs each under `inject`), so it serves only the HTML of /docs (src/plugins/openapi.ts).
 */
export const apiSecurityHeaders = {
  'content-security-policy': "default-src 'none'; frame-ancestors 'none'",
  'x-content-type-options': 'nosniff',
  'x-frame-options': 'DENY',
  'strict-transport-security': 'max-age=31536000; includeSubDomains',
  'cross-origin-resource-policy': 'cross-origin'
} as const
