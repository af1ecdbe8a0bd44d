// Contact logs (联系/走访记录) as stored, their lookups, and the per-role views that leave the server.
import * as z from 'zod'
import { DUTIES } from '../core/cadence'
import {
  correctableUntil,
  LearnedSchema,
  type ContactContent,
  type ContactLogView,
  type GuardianContactLogView,
} from '../core/contacts'
import { CONTACT_MODES } from '../core/domain'
import { getDb } from './cloud'
import { findById, findOne, StoredDate } from './db'
import { COLLECTIONS } from './records'

const StoredCorrection = z.object({
  at: StoredDate,
  changes: z.array(z.object({ field: z.string(), from: z.string(), to: z.string() })),
})

/** A guardian's answer, written by the confirmation feature; read loosely here and shown as {answer, at}. */
const StoredConfirmation = z.looseObject({
  answer: z.enum(['confirmed', 'disputed']),
  at: StoredDate,
  comment: z.string().default(''),
  guardianUserId: z.string().nullable().default(null),
})

/** The household-code check-in a home visit was logged with (`checkins` entry id and its time). */
const StoredCheckin = z.object({ id: z.string(), at: StoredDate })

export const ContactLogDoc = z.object({
  _id: z.string(),
  childId: z.string(),
  pairingId: z.string(),
  helperId: z.string(),
  /** the author's display name when written (shown to guardians and on the child's record) */
  helperName: z.string(),
  villageId: z.string(),
  townshipId: z.string(),
  duty: z.enum(DUTIES),
  occurredAt: StoredDate,
  mode: z.enum(CONTACT_MODES),
  learned: LearnedSchema,
  problems: z.string(),
  actions: z.string(),
  createdAt: StoredDate,
  /** `${helperId}:${requestId}`: a unique index makes a retried submission write one log */
  requestKey: z.string(),
  corrections: z.array(StoredCorrection).default([]),
  confirmation: StoredConfirmation.nullable().default(null),
  /** absent on logs written without a check-in (and on logs older than the feature) */
  checkin: StoredCheckin.nullable().optional(),
  /** cloud file ids of the log's photos (never links: those are made per read and expire) */
  photos: z.array(z.string()).default([]),
})
export type ContactLogDoc = z.infer<typeof ContactLogDoc>

export function requestKeyOf(helperId: string, requestId: string): string {
  return `${helperId}:${requestId}`
}

export function logByRequestKey(requestKey: string): Promise<ContactLogDoc | null> {
  return findOne(
    ContactLogDoc,
    getDb().collection(COLLECTIONS.contactLogs).where({ requestKey }).limit(1),
  )
}

export function logById(id: string): Promise<ContactLogDoc | null> {
  return findById(ContactLogDoc, COLLECTIONS.contactLogs, id)
}

export function contentOf(log: ContactLogDoc): ContactContent {
  return {
    duty: log.duty,
    occurredAt: log.occurredAt,
    mode: log.mode,
    learned: log.learned,
    problems: log.problems,
    actions: log.actions,
  }
}

function confirmationView(log: ContactLogDoc): ContactLogView['confirmation'] {
  const c = log.confirmation
  return c ? { answer: c.answer, at: c.at, comment: c.comment } : null
}

/** The full log: for its author, the child's current helper and officers in scope. */
export function logView(log: ContactLogDoc): ContactLogView {
  return {
    id: log._id,
    childId: log.childId,
    pairingId: log.pairingId,
    helperId: log.helperId,
    helperName: log.helperName,
    duty: log.duty,
    occurredAt: log.occurredAt,
    mode: log.mode,
    learned: log.learned,
    problems: log.problems,
    actions: log.actions,
    createdAt: log.createdAt,
    correctableUntil: correctableUntil(log.createdAt),
    corrections: log.corrections,
    confirmation: confirmationView(log),
    checkin: log.checkin ? { id: log.checkin.id, at: log.checkin.at } : null,
    photoCount: log.photos.length,
  }
}

/** What a guardian sees of a log: when, what kind, by whom, how; never what was learned. */
export function guardianLogView(log: ContactLogDoc): GuardianContactLogView {
  return {
    id: log._id,
    duty: log.duty,
    occurredAt: log.occurredAt,
    mode: log.mode,
    helperName: log.helperName,
    confirmation: confirmationView(log),
  }
}
