// Maps undici, node:http and Node system errors to the attempt's error kinds, with a plain explanation.
import type { DeliveryErrorKind } from './types.js';
import { BLOCKED_CODE } from './network-guard.js';

export interface ClassifiedError {
  kind: DeliveryErrorKind;
  message: string;
  code?: string;
}

const KIND_BY_CODE: Record<string, DeliveryErrorKind> = {
  UND_ERR_CONNECT_TIMEOUT: 'timeout',
  UND_ERR_HEADERS_TIMEOUT: 'timeout',
  UND_ERR_BODY_TIMEOUT: 'timeout',
  ETIMEDOUT: 'timeout',
  ECONNREFUSED: 'refused',
  EHOSTUNREACH: 'refused',
  ENETUNREACH: 'refused',
  EHOSTDOWN: 'refused',
  EADDRNOTAVAIL: 'refused',
  ENOTFOUND: 'dns',
  EAI_AGAIN: 'dns',
  EAI_FAIL: 'dns',
  EAI_NONAME: 'dns',
  EAI_NODATA: 'dns',
  ENODATA: 'dns',
  ESERVFAIL: 'dns',
  UND_ERR_HEADERS_OVERFLOW: 'too-large',
  UND_ERR_RES_EXCEEDED_MAX_SIZE: 'too-large',
  HPE_HEADER_OVERFLOW: 'too-large', // node:http's parser (the plugin profile)
  ECONNRESET: 'reset',
  EPIPE: 'reset',
  ECONNABORTED: 'reset',
  UND_ERR_SOCKET: 'reset',
  UND_ERR_CLOSED: 'reset',
  EPROTO: 'tls',
  ERR_INVALID_URL: 'invalid-url',
  [BLOCKED_CODE]: 'blocked',
};

const EXPLANATION: Record<DeliveryErrorKind, string> = {
  timeout: 'Timed out',
  refused: 'Could not connect (refused or unreachable)',
  dns: 'The host name does not resolve',
  tls: 'TLS/HTTPS handshake failed',
  'too-large': 'The response is too large',
  reset: 'The connection was closed or reset before a complete response',
  redirect: 'Redirect failed',
  'invalid-url': 'Invalid target URL',
  blocked: 'Blocked target',
  other: 'Delivery failed',
};

function isTlsCode(code: string): boolean {
  return (
    code.startsWith('ERR_TLS_') ||
    code.startsWith('ERR_SSL_') ||
    code.startsWith('CERT_') ||
    /^(DEPTH_ZERO_SELF_SIGNED_CERT|SELF_SIGNED_CERT_IN_CHAIN|UNABLE_TO_(VERIFY_LEAF_SIGNATURE|GET_ISSUER_CERT(_LOCALLY)?)|HOSTNAME_MISMATCH)$/.test(
      code,
    )
  );
}

/** The codes on an error and its causes, outermost first. */
function codesOf(error: unknown): string[] {
  const codes: string[] = [];
  for (let current = error, depth = 0; current && depth < 5; depth++) {
    const code = (current as { code?: unknown }).code;
    if (typeof code === 'string') codes.push(code);
    current = (current as { cause?: unknown }).cause;
  }
  return codes;
}

function kindOf(code: string): DeliveryErrorKind | undefined {
  return KIND_BY_CODE[code] ?? (isTlsCode(code) ? 'tls' : undefined);
}

export function classifyError(error: unknown): ClassifiedError {
  const codes = codesOf(error);
  // Prefer the most specific cause: undici wraps system errors (e.g. UND_ERR_SOCKET around ECONNRESET).
  let kind: DeliveryErrorKind = 'other';
  let code: string | undefined;
  for (const candidate of [...codes].reverse()) {
    const found = kindOf(candidate);
    if (found) {
      kind = found;
      code = candidate;
      break;
    }
  }
  code ??= codes[0];
  const detail = (error instanceof Error ? error.message : String(error)).trim();
  if (kind === 'blocked') return { kind, message: detail, code };
  return { kind, message: `${EXPLANATION[kind]}: ${detail}`, ...(code ? { code } : {}) };
}
