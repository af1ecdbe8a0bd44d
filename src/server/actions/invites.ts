// Handlers of the invites actions (filled in by the feature that owns them).
import type { INVITE_ACTIONS } from '../../core/invites'
import type { Handlers } from '../router'

export const invitesHandlers: Handlers<keyof typeof INVITE_ACTIONS> = {}
