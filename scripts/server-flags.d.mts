/** Node's flags for the sync server's process (server-flags.mjs). */
export declare const SERVER_NODE_FLAGS: string[];
