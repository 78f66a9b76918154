import type { ErrorRequestHandler } from 'express';
import type { ZodError } from 'zod';

import type { InputIssue } from '@junction/core';

import type { Logger } from '../logger.js';

/** An error the API answers with as-is: a status, a stable code and, for bad input, the issues. */
export class HttpError extends Error {
  constructor(
    readonly status: number,
    readonly code: string,
    message: string,
    readonly issues?: InputIssue[],
    options?: ErrorOptions,
  ) {
    super(message, options);
    this.name = 'HttpError';
  }
}

export function zodIssues(error: ZodError): InputIssue[] {
  return error.issues.map((issue) => {
    const params = 'params' in issue ? (issue.params as { code?: unknown } | undefined) : undefined;
    const code = typeof params?.code === 'string' ? params.code : issue.code;
    return {
      code,
      path: issue.path.map((part) => (typeof part === 'symbol' ? String(part) : part)),
      message: issue.message,
    };
  });
}

export function invalidInput(
  issues: InputIssue[],
  message = 'the request body is not valid',
): HttpError {
  return new HttpError(400, 'invalid_request', message, issues);
}

/** Errors raised by body-parser carry a `type`; map them to stable codes. */
const BODY_ERRORS: Record<string, { status: number; code: string; message: string }> = {
  'entity.too.large': {
    status: 413,
    code: 'payload_too_large',
    message: 'the request body is too large',
  },
  'entity.parse.failed': {
    status: 400,
    code: 'invalid_json',
    message: 'the request body is not valid JSON',
  },
  'encoding.unsupported': {
    status: 415,
    code: 'unsupported_encoding',
    message: 'unsupported content encoding',
  },
  'charset.unsupported': {
    status: 415,
    code: 'unsupported_charset',
    message: 'unsupported charset',
  },
  'request.aborted': { status: 400, code: 'request_aborted', message: 'the request was aborted' },
};

export function errorHandler(log: Logger): ErrorRequestHandler {
  return (err: unknown, req, res, _next) => {
    if (err instanceof HttpError) {
      if (err.status >= 500)
        log.error({ err, method: req.method, path: req.path }, 'request failed');
      res
        .status(err.status)
        .json({ error: { code: err.code, message: err.message, issues: err.issues } });
      return;
    }
    const bodyError =
      typeof err === 'object' && err !== null && 'type' in err
        ? BODY_ERRORS[String(err.type)]
        : undefined;
    if (bodyError) {
      res
        .status(bodyError.status)
        .json({ error: { code: bodyError.code, message: bodyError.message } });
      return;
    }
    const status =
      typeof err === 'object' && err !== null && 'status' in err ? Number(err.status) : 500;
    if (status >= 400 && status < 500) {
      res
        .status(status)
        .json({ error: { code: 'bad_request', message: 'the request could not be read' } });
      return;
    }
    log.error({ err, method: req.method, path: req.path }, 'request failed');
    res.status(500).json({ error: { code: 'internal', message: 'internal error' } });
  };
}
