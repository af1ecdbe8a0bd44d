// Handlers of the children actions (filled in by the feature that owns them).
import type { CHILDREN_ACTIONS } from '../../core/children'
import type { Handlers } from '../router'

export const childrenHandlers: Handlers<keyof typeof CHILDREN_ACTIONS> = {}
