import type { OrgPosition } from '../auth/tokens';
import type { Db } from '../db/types';
import type { Config } from '../config';

/** What middleware leaves on the context for the routes. */
export interface AppEnv {
  Variables: {
    db: Db;
    config: Config;
    /** The tightest rate-limit figures that applied to this request, for the response headers. */
    rateLimit: { limit: number; remaining: number } | undefined;
    userId: string;
    token: string;
    /**
     * Looked up with the token when X-Active-Org-Id was sent; role null: not a member. `position`:
     * the org's change position read in that same statement (members only).
     */
    membership: { orgId: string; role: string | null; position: OrgPosition | null } | undefined;
    orgId: string;
    role: string;
  };
}
