/**
 * The server's structured log: one JSON object per line (pino), to stdout, for journald or a log
 * shipper. What goes in is chosen field by field, never whole requests: no e-mail address in the
 * clear, no bearer token, no body (OWASP Logging Cheat Sheet, "Data to exclude": session
 * identifiers, access tokens, personal data). Where a log line must tell two accounts apart it
 * carries `accountTag`, an HMAC of the e-mail under the server's secret.
 */
import { createHmac } from 'node:crypto';
import pino, { type DestinationStream, type Logger } from 'pino';

export type { Logger };

export const LOG_LEVELS = ['fatal', 'error', 'warn', 'info', 'debug', 'silent'] as const;
export type LogLevel = (typeof LOG_LEVELS)[number];

/** Most bytes of log lines waiting for a slow reader of stdout; beyond it lines are dropped, not kept. */
const PENDING_LOG_BYTES = 16 * 1024 * 1024;

/**
 * Standard output, written asynchronously: pino's default destination writes each line with its
 * own blocking write(2), one system call per request on the hot path, and a stalled reader
 * (journald, a full pipe) would stall every request with it. Asynchronously, the lines logged
 * while a write is in flight go out together in the next one (under load, many requests' lines per
 * call), a quiet server's line still leaves at once, and pino writes what is pending on exit.
 */
export const asyncStdout = (): DestinationStream => pino.destination({ dest: 1, sync: false, maxLength: PENDING_LOG_BYTES });

export function createLogger(level: LogLevel = 'info', destination: DestinationStream = asyncStdout()): Logger {
  return pino(
    {
      level,
      base: { pid: process.pid },
      // A field named like a secret is never written, even if code passes one by mistake.
      redact: {
        paths: ['email', 'token', 'password', 'authorization', '*.email', '*.token', '*.password', '*.authorization'],
        censor: '[redacted]',
      },
    },
    destination,
  );
}

/** A logger that writes nothing: the default for servers built in tests and scripts. */
export const silentLogger = (): Logger => createLogger('silent', pino.destination(1));

/** A stable, non-reversible name for an e-mail in logs (the same account gives the same tag). */
export function accountTag(secret: Buffer, email: string): string {
  return createHmac('sha256', secret).update(`log:account:${email}`).digest('base64url').slice(0, 16);
}
