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
    orgId: string;
    role: string;
  };
}
