// Handlers of the measures actions (filled in by the feature that owns them).
import type { MEASURE_ACTIONS } from '../../core/measures'
import type { Handlers } from '../router'

export const measuresHandlers: Handlers<keyof typeof MEASURE_ACTIONS> = {}
