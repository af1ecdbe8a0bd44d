// Handlers of the reports actions (filled in by the feature that owns them).
import type { REPORT_ACTIONS } from '../../core/reports'
import type { Handlers } from '../router'

export const reportsHandlers: Handlers<keyof typeof REPORT_ACTIONS> = {}
