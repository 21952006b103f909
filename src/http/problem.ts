/**
 * One error type for the whole service. Expected outcomes (a refused validation, a finished
 * erasure) are values; AppError is for requests we cannot serve. Each code has one status,
 * and the error handler renders it as RFC 9457 application/problem+json.
 */
export const PROBLEMS = {
  VALIDATION_FAILED: { status: 400, title: 'The request is not valid' },
  MALFORMED_JSON: { status: 400, title: 'The body is not valid JSON' },
  UNAUTHENTICATED: { status: 401, title: 'Authentication is required' },
  INVALID_CREDENTIALS: { status: 401, title: 'E-mail or password is wrong' },
  INVALID_CODE: { status: 401, title: 'The verification code is not valid' },
  FORBIDDEN: { status: 403, title: 'Not allowed for this role' },
  LICENCE_NOT_USABLE: { status: 403, title: 'The licence cannot be used' },
  PURPOSE_REQUIRED: { status: 403, title: 'State a purpose to see personal data' },
  NOT_FOUND: { status: 404, title: 'Not found' },
  ROUTE_NOT_FOUND: { status: 404, title: 'No such route' },
  CONFLICT: { status: 409, title: 'Conflicts with the current state' },
  ALREADY_EXISTS: { status: 409, title: 'Already exists' },
  PROCESSING_RESTRICTED: { status: 409, title: "Processing of this person's data is restricted" },
  TRANSFER_BUDGET_EXHAUSTED: { status: 409, title: "The licence's device transfers for the last 30 days are used up" },
  OFFLINE_RELEASE_NEEDS_FILE: { status: 409, title: "This PC runs on a licence file: release it with the release file its app writes, or ask the licence's administrator" },
  RELEASE_ALREADY_USED: { status: 409, title: 'This release file was already used, or its licence file was since renewed' },
  PAYLOAD_TOO_LARGE: { status: 413, title: 'The body is too large' },
  UNSUPPORTED_MEDIA_TYPE: { status: 415, title: 'Send application/json' },
  UNPROCESSABLE: { status: 422, title: 'The request cannot be carried out' },
  OFFLINE_NOT_ALLOWED: { status: 422, title: "The licence's policy does not allow offline activation" },
  REQUEST_TOO_OLD: { status: 422, title: 'The activation request is more than 30 days old; make a new one' },
  RELEASE_INVALID: { status: 422, title: 'The release file does not verify against the key of the device it names' },
  RATE_LIMITED: { status: 429, title: 'Too many requests' },
  INTERNAL: { status: 500, title: 'Internal error' },
  UNAVAILABLE: { status: 503, title: 'Temporarily unavailable' },
} as const;

export type ProblemCode = keyof typeof PROBLEMS;

export interface FieldError { pointer: string; detail: string }

/** An RFC 6901 JSON pointer to the field at `path` ("" for the document itself). */
export function jsonPointer(path: readonly PropertyKey[]): string {
  return path.map((p) => '/' + String(p).replace(/~/g, '~0').replace(/\//g, '~1')).join('');
}

export class AppError extends Error {
  readonly status: number;
  readonly title: string;

  constructor(
    readonly code: ProblemCode,
    readonly detail?: string,
    readonly options: { errors?: FieldError[]; headers?: Record<string, string>; extra?: Record<string, unknown> } = {},
  ) {
    super(detail ?? PROBLEMS[code].title);
    this.status = PROBLEMS[code].status;
    this.title = PROBLEMS[code].title;
  }
}

export const notFound = (what: string) => new AppError('NOT_FOUND', `${what} not found`);

export function problemBody(error: AppError, requestId: string): Record<string, unknown> {
  return {
    type: `urn:nomina:problem:${error.code.toLowerCase().replace(/_/g, '-')}`,
    title: error.title,
    status: error.status,
    detail: error.detail ?? error.title,
    code: error.code,
    requestId,
    ...(error.options.errors ? { errors: error.options.errors } : {}),
    ...error.options.extra,
  };
}
