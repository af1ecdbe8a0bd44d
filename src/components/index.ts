// Shared UI pieces (the app's own small set; no UI kit).
export { a11y } from './a11y'
export { ActionButton, type ActionButtonProps } from './ActionButton'
export { Card } from './Card'
export { ChoiceChips, QuickPhrases, type Choice } from './ChoiceChips'
export { Field } from './Field'
export { PhotoPicker } from './PhotoPicker'
export { PhotoViewer } from './PhotoViewer'
export { ErrorState, LoadingState } from './QueryStatus'
export { StatusTag, type Tone } from './StatusTag'
export {
  clockTime,
  CONFIRMATION_LABELS,
  dayLabel,
  dutyStatusText,
  dutyTone,
  shortDate,
} from './format'
export { SubscribePrompt } from './SubscribePrompt'
export { LabelledImage, TextArea, TextInput } from './TextInput'
