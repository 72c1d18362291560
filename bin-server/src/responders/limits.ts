/**
 * The most body a bin answers with: its configured one, a rule's body or rendered template, or its
 * forwarder's (the app's answer).
 */
export const MAX_RESPONSE_BODY_BYTES = 10 * 1024;

/** Header lines of a forwarder's answer, and their bytes together (names and values). */
export const MAX_FORWARDED_HEADERS = 50;
export const MAX_FORWARDED_HEADER_BYTES = 16 * 1024;

/** How long a forwarder may take per request: `--respond-timeout` (default 10 s) is bounded. */
export const DEFAULT_RESPOND_TIMEOUT_MS = 10_000;
export const MAX_RESPOND_TIMEOUT_MS = 60_000;
export const MIN_RESPOND_TIMEOUT_MS = 100;
