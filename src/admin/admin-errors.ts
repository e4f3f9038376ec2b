// The admin API's error registry: stable codes, one JSON shape { error: { code, message } }.
export const ADMIN_ERRORS = {
  unauthorized: 401,
  forbidden: 403,
  invalid_query: 400,
  not_found: 404,
  conflict: 409,
  mapping_incomplete: 422,
  internal_error: 500,
} as const;

export type AdminErrorCode = keyof typeof ADMIN_ERRORS;

export class AdminError extends Error {
  override readonly name = 'AdminError';
  readonly code: AdminErrorCode;
  readonly status: number;
  constructor(code: AdminErrorCode, message: string) {
    super(message);
    this.code = code;
    this.status = ADMIN_ERRORS[code];
  }
}

export function renderAdminError(error: AdminError): { error: { code: AdminErrorCode; message: string } } {
  return { error: { code: error.code, message: error.message } };
}
