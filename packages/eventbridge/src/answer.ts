import * as kit from '@keventer/core/kit';

/**
 * What to fix for each whole-request error code of EventBridge's error-code
 * table (all HTTP 403 there); EventBusNotExist is the bus check's code.
 */
const FIXES: Readonly<Record<string, string>> = {
  InvalidAccessKeyId: 'the AccessKey ID does not exist: check accessKeyId',
  InvalidStsAccessKeyId: 'the STS AccessKey ID does not exist: check accessKeyId',
  SignatureDoesNotMatch:
    'check accessKeySecret (it must belong to accessKeyId), and that no proxy rewrites the request',
  SecurityTokenInvalid:
    'the STS token is invalid: give the securityToken issued with the AccessKey',
  StsAccessIdExpired:
    'the STS credentials expired: give fresh accessKeyId, accessKeySecret and securityToken',
  AccessDenied: 'grant the RAM user or role eventbridge:PutEvents on the bus',
  AccessDeniedByPreCheck: 'grant the RAM user or role eventbridge:PutEvents on the bus',
  ServiceAccessDenied: 'activate EventBridge for the account',
  AccountIdNotExist: 'check accountId: it must be the account that owns the bus',
  ParentAccountNotExist: 'check accountId: it must be the account that owns the bus',
  AccessDeniedForInternalRegion: 'the account is restricted in this region: check regionId',
  EventBusNotExist: 'create the event bus, or set eventBusName to an existing one',
};

/** Codes about load or the service's health: worth another attempt, whatever the status. */
const TRANSIENT = /throttl|toomanyrequests|flowcontrol|internal|timeout|unavailable|busy/i;

export interface ServiceError {
  readonly code: string;
  readonly message: string;
  readonly requestId: string;
}

/** The service's error body, `{"code","message","requestId"}` (either case of the first letter). */
export function readServiceError(answer: kit.HttpAnswer): ServiceError {
  const body = kit.parseJsonAnswer(answer) ?? {};
  const text = (name: string) => {
    const value = body[name] ?? body[name[0]?.toUpperCase() + name.slice(1)];
    return typeof value === 'string' ? value : '';
  };
  return { code: text('code'), message: text('message'), requestId: text('requestId') };
}

/** The error of a PutEvents request the service refused as a whole (non-2xx). */
export function requestError(sink: string, answer: kit.HttpAnswer): kit.SinkError {
  const { status: statusCode } = answer;
  const { code, message, requestId } = readServiceError(answer);
  const said = code ? `${code}: ${message}` : kit.snippet(answer.text, 300);
  const request = requestId ? ` (request ${requestId})` : '';
  const what = `EventBridge answered HTTP ${statusCode}${said ? ` ${said}` : ''}${request}`;
  if (kit.isRetryableStatus(statusCode) || TRANSIENT.test(code)) {
    const retryAfterMs = kit.parseRetryAfter(answer.headers.get('retry-after'));
    return kit.retryableError(sink, what, { statusCode, retryAfterMs });
  }
  const fix = FIXES[code] ?? (statusCode === 404 ? 'check endpoint, regionId and accountId' : '');
  return kit.permanentError(sink, fix ? `${what}: ${fix}` : what, { statusCode });
}

/** One refused entry of a PutEvents answer: retryable when its code is about load. */
export function entryError(sink: string, code: string, message: string): kit.SinkError {
  const what = `EventBridge refused the event: ${code || 'no code'}${message ? `: ${message}` : ''}`;
  if (TRANSIENT.test(code)) return kit.retryableError(sink, what);
  const fix = FIXES[code];
  return kit.permanentError(sink, fix ? `${what} (${fix})` : what);
}
