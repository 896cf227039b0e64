// The budgets the bench reports and `npm test` enforces (test/budgets/): one definition for both.
// Plain TypeScript with no Node or Workers types, so the bench runner and workerd tests can import it.

/**
 * Hard bundle budget, gzip bytes of what `wrangler deploy` uploads. Wave 2's issues set it step by step
 * (docs/performance.md, "Bundle budget"): 40 KiB for wave 1, 45 with the round-two fixes and the journey
 * module, then 55 with passkeys, 65 with accounts, 75 with upstream providers, 80 for all of wave 2.
 */
export const BUNDLE_GZIP_BUDGET_BYTES = 45 * 1024;

/** Storage round trips an endpoint may make on its response path (work in waitUntil is not counted). */
export interface RoundTripBudget {
  /** D1 reads that go to the primary, plus D1 writes (a batch is one round trip). */
  primary: number;
  /** Every D1 round trip: primary, write or replica. */
  d1: number;
}

export const ROUND_TRIP_BUDGETS = {
  /** GET /authorize from a new browser to the login form. */
  authorize: { primary: 0, d1: 1 },
  /** POST /login with the right password, to the redirect with a code. */
  login: { primary: 0, d1: 1 },
  /** POST /token, authorization_code: one batch. */
  token: { primary: 1, d1: 1 },
  /** GET /userinfo: the user and the token's revocation record in one batch from a replica. */
  userinfo: { primary: 0, d1: 1 },
  /** Discovery and JWKS: from memory. */
  discovery: { primary: 0, d1: 0 },
  jwks: { primary: 0, d1: 0 },
} as const satisfies Record<string, RoundTripBudget>;
