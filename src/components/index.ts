// Shared UI pieces.
export { ActionButton, type ActionButtonProps } from './ActionButton'
export { ErrorState, LoadingState } from './QueryStatus'
