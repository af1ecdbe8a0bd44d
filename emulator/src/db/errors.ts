// The database error vocabulary: CloudBase's string codes (which wx-server-sdk maps to numeric errCodes) and their messages.

/**
 * Codes as the CloudBase database answers them. wx-server-sdk turns the ones it knows into numbers
 * (TCB_ERR_CODE): DATABASE_COLLECTION_NOT_EXIST → -502005, DATABASE_REQUEST_FAILED → -502001,
 * DATABASE_INVALID_OPERRATOR (sic) → -502002, INVALID_PARAM → -501007; any other code → -501001.
 * DATABASE_TRANSACTION_CONFLICT must stay a string: @cloudbase/database's runTransaction retries
 * exactly when `error.code === 'DATABASE_TRANSACTION_CONFLICT'`.
 */
export const DbCode = {
  CollectionNotExist: 'DATABASE_COLLECTION_NOT_EXIST',
  CollectionAlreadyExist: 'DATABASE_COLLECTION_ALREADY_EXIST',
  RequestFailed: 'DATABASE_REQUEST_FAILED',
  InvalidOperator: 'DATABASE_INVALID_OPERRATOR',
  InvalidParam: 'INVALID_PARAM',
  TransactionConflict: 'DATABASE_TRANSACTION_CONFLICT',
  TransactionFail: 'DATABASE_TRANSACTION_FAIL',
  InvalidAction: 'INVALID_ACTION',
  SysErr: 'SYS_ERR',
} as const

export type DbCodeValue = (typeof DbCode)[keyof typeof DbCode]

/** An error the engine raises; the service converts it to an AdminError (an error response to the SDK). */
export class DbError extends Error {
  constructor(
    readonly code: DbCodeValue,
    message: string,
  ) {
    super(message)
  }

  static invalidParam(message: string): DbError {
    return new DbError(DbCode.InvalidParam, message)
  }

  static requestFailed(message: string): DbError {
    return new DbError(DbCode.RequestFailed, `[FailedOperation] ${message}`)
  }

  static invalidOperator(message: string): DbError {
    return new DbError(DbCode.InvalidOperator, `[InvalidParameter] ${message}`)
  }

  static collectionNotExist(name: string): DbError {
    // The message production returns, plus the name (production leaves it out, which makes it hard to debug).
    return new DbError(
      DbCode.CollectionNotExist,
      `[ResourceNotFound] Db or Table not exist. Please check your request, but if the problem cannot be solved, contact us. (collection "${name}")`,
    )
  }

  static collectionExists(name: string): DbError {
    return new DbError(
      DbCode.CollectionAlreadyExist,
      `[ResourceInUse] Table exist. (collection "${name}")`,
    )
  }

  static duplicateKey(collection: string, index: string, key: string): DbError {
    // Production surfaces MongoDB's E11000 text inside a DATABASE_REQUEST_FAILED error (errCode -502001).
    return DbError.requestFailed(
      `E11000 duplicate key error collection: ${collection} index: ${index} dup key: ${key}`,
    )
  }

  static conflict(detail: string): DbError {
    return new DbError(
      DbCode.TransactionConflict,
      `[ResourceUnavailable.TransactionConflict] Transaction is conflicting with others. ${detail}`,
    )
  }

  static transactionGone(id: string, why: string): DbError {
    return new DbError(
      DbCode.TransactionFail,
      `[ResourceUnavailable.TransactionNotExist] transaction ${id} ${why}`,
    )
  }
}
