// The openapi service's durable state: sent subscription messages and one-time subscription quotas (sqlite).

import { mkdirSync } from 'node:fs'
import { join } from 'node:path'
import { randomUUID } from 'node:crypto'
import Database from 'better-sqlite3'
import * as z from 'zod'

export type SentMessage = {
  id: string
  touser: string
  templateId: string
  page?: string
  data: Record<string, { value: string }>
  miniprogramState?: string
  lang?: string
  /** ISO time on the emulator clock. */
  sentAt: string
}

export type NewMessage = Omit<SentMessage, 'id' | 'sentAt'>

const messageRow = z.object({
  id: z.string(),
  touser: z.string(),
  template_id: z.string(),
  page: z.string().nullable(),
  data: z.string(),
  miniprogram_state: z.string().nullable(),
  lang: z.string().nullable(),
  sent_at: z.string(),
})

const messageData = z.record(z.string(), z.object({ value: z.string() }))

export class OpenApiStore {
  private readonly db: Database.Database

  constructor(dataDir: string) {
    mkdirSync(dataDir, { recursive: true })
    this.db = new Database(join(dataDir, 'openapi.sqlite'))
    // WAL: a crash between two writes never loses an acknowledged send.
    this.db.pragma('journal_mode = WAL')
    this.db.exec(`
      CREATE TABLE IF NOT EXISTS messages (
        seq INTEGER PRIMARY KEY AUTOINCREMENT,
        id TEXT NOT NULL UNIQUE,
        touser TEXT NOT NULL,
        template_id TEXT NOT NULL,
        page TEXT,
        data TEXT NOT NULL,
        miniprogram_state TEXT,
        lang TEXT,
        sent_at TEXT NOT NULL
      );
      CREATE INDEX IF NOT EXISTS messages_touser ON messages (touser, template_id);
      CREATE TABLE IF NOT EXISTS quota (
        openid TEXT NOT NULL,
        template_id TEXT NOT NULL,
        remaining INTEGER NOT NULL,
        PRIMARY KEY (openid, template_id)
      );
    `)
  }

  grant(openid: string, templateId: string, count: number): void {
    this.db
      .prepare(
        `INSERT INTO quota (openid, template_id, remaining) VALUES (?, ?, ?)
         ON CONFLICT (openid, template_id) DO UPDATE SET remaining = remaining + excluded.remaining`,
      )
      .run(openid, templateId, count)
  }

  quota(openid: string, templateId: string): number {
    const row = this.db
      .prepare('SELECT remaining FROM quota WHERE openid = ? AND template_id = ?')
      .pluck()
      .get(openid, templateId)
    return typeof row === 'number' ? row : 0
  }

  /**
   * Consumes one quota and records the message in one transaction, so a message is recorded exactly
   * when a quota was spent. Returns null (nothing written) when the user has no quota left.
   */
  sendWithQuota(msg: NewMessage, sentAt: Date): SentMessage | null {
    const consume = this.db.prepare(
      'UPDATE quota SET remaining = remaining - 1 WHERE openid = ? AND template_id = ? AND remaining > 0',
    )
    const insert = this.db.prepare(
      `INSERT INTO messages (id, touser, template_id, page, data, miniprogram_state, lang, sent_at)
       VALUES (?, ?, ?, ?, ?, ?, ?, ?)`,
    )
    return this.db.transaction((): SentMessage | null => {
      if (consume.run(msg.touser, msg.templateId).changes !== 1) return null
      const sent: SentMessage = { id: randomUUID(), ...msg, sentAt: sentAt.toISOString() }
      insert.run(
        sent.id,
        sent.touser,
        sent.templateId,
        sent.page ?? null,
        JSON.stringify(sent.data),
        sent.miniprogramState ?? null,
        sent.lang ?? null,
        sent.sentAt,
      )
      return sent
    })()
  }

  messages(filter: { touser?: string; templateId?: string } = {}): SentMessage[] {
    const rows = this.db
      .prepare(
        `SELECT id, touser, template_id, page, data, miniprogram_state, lang, sent_at FROM messages
         WHERE (@touser IS NULL OR touser = @touser) AND (@templateId IS NULL OR template_id = @templateId)
         ORDER BY seq`,
      )
      .all({ touser: filter.touser ?? null, templateId: filter.templateId ?? null })
    return rows.map((raw) => {
      const row = messageRow.parse(raw)
      const msg: SentMessage = {
        id: row.id,
        touser: row.touser,
        templateId: row.template_id,
        data: messageData.parse(JSON.parse(row.data)),
        sentAt: row.sent_at,
      }
      if (row.page !== null) msg.page = row.page
      if (row.miniprogram_state !== null) msg.miniprogramState = row.miniprogram_state
      if (row.lang !== null) msg.lang = row.lang
      return msg
    })
  }

  reset(): void {
    this.db.exec('DELETE FROM messages; DELETE FROM quota;')
  }

  close(): void {
    if (this.db.open) this.db.close()
  }
}
