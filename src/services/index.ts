// The front end's only way to the cloud: the typed client, its error type and the page hooks.
export { callApi, type CallOptions } from './api'
export {
  ApiError,
  isApiError,
  toApiError,
  type ApiErrorCode,
  type ClientErrorCode,
} from './api-error'
export { useApiQuery, useSession, type Query, type QueryState, type SessionQuery } from './hooks'
export { initCloud } from './cloud'
