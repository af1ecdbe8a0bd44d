// Handlers of the contacts actions (filled in by the feature that owns them).
import type { CONTACT_ACTIONS } from '../../core/contacts'
import type { Handlers } from '../router'

export const contactsHandlers: Handlers<keyof typeof CONTACT_ACTIONS> = {}
