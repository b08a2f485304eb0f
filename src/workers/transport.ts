import { AppError, type ProblemCode } from '../errors.js'

/** An error as it crosses between threads: a problem of the catalogue, or another error's code and message. */
export type SerializedError =
  | { app: true, code: ProblemCode, detail: string, errors: AppError['errors'], extra: AppError['extra'] }
  | { app: false, code: string | undefined, message: string, stack: string | undefined }

export function serializeError (err: unknown): SerializedError {
  if (err instanceof AppError) return { app: true, code: err.code, detail: err.detail, errors: err.errors, extra: err.extra }
  const e = err as { code?: unknown, message?: unknown, stack?: unknown }
  return { app: false, code: typeof e.code === 'string' ? e.code : undefined, message: String(e.message ?? err), stack: typeof e.stack === 'string' ? e.stack : undefined }
}

/** The error again, on the other side: an AppError, or an Error with the original code (SQLITE_BUSY…). */
export function deserializeError (e: SerializedError): Error {
  if (e.app) return new AppError(e.code, e.detail, e.errors, e.extra)
  const err = new Error(e.message) as Error & { code?: string }
  if (e.code !== undefined) err.code = e.code
  if (e.stack !== undefined) err.stack = e.stack
  return err
}
