// The front end's only way to the cloud: the typed client, its error type, the page hooks and the platform adapters.
export { callApi, type CallOptions } from './api'
export {
  ApiError,
  isApiError,
  toApiError,
  type ApiErrorCode,
  type ClientErrorCode,
} from './api-error'
export {
  fieldErrors,
  useApiAction,
  useApiQuery,
  useSession,
  type ActionRun,
  type Query,
  type QueryState,
  type SessionQuery,
} from './hooks'
export { initCloud } from './cloud'
export { drafts, startDraftSync, useDrafts } from './draft-sync'
export { newRequestId, type Draft, type DraftLogInput, type DraftPhoto } from './drafts'
export * as photos from './photos'
export * as platform from './platform'
