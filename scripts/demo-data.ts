// Demo data for local use: the township, two villages, a user for every role (openids in README), and
// about 40 children with pairings and contact logs dated relative to "now", so every board shows a true mix.
import { DEFAULT_CADENCE, type Duty } from '../src/core/cadence'
import type { Category, MeasureKind, RiskLevel } from '../src/core/domain'
import {
  buildDutyState,
  NO_LATEST,
  NO_LOGS,
  type DutyPairingFacts,
  type LatestLog,
  type PerDuty,
} from '../src/core/duties'
import { idCheckChar } from '../src/core/idcard'
import {
  childContribution,
  rollupsOf,
  stateContribution,
  tallyLogs,
  type Contribution,
} from '../src/core/rollups'
import { SUBSCRIPTIONS, type TemplateKey } from '../src/core/subscriptions-config'
import { chinaMidnight, periodOf } from '../src/core/time'
import {
  DEMO_TOWNSHIP,
  DEMO_USERS,
  DEMO_VILLAGES,
  type DemoVillageKey,
} from '../src/local/demo-users'
import type { ChildDoc } from '../src/server/children-store'
import type { ContactLogDoc } from '../src/server/contacts-store'
import type { PairingDoc } from '../src/server/pairings-store'
import { ledgerId } from '../src/server/reminders-store'
import type { TownshipDoc, UserDoc, VillageDoc } from '../src/server/records'

export const DEMO_IDS = {
  township: 'twp-demo',
  villages: { 'village-1': 'vil-demo-1', 'village-2': 'vil-demo-2' } satisfies Record<
    DemoVillageKey,
    string
  >,
}
const userId = (openid: string) => `usr-${openid}`

export type SeedBody = { collections: Record<string, unknown[]>; grants?: unknown[] }

const SURNAMES = [
  '张',
  '李',
  '王',
  '刘',
  '陈',
  '杨',
  '赵',
  '黄',
  '周',
  '吴',
  '徐',
  '孙',
  '马',
  '朱',
  '胡',
  '郭',
  '何',
  '林',
  '罗',
  '高',
]
const GIVEN = [
  '小明',
  '雨涵',
  '子轩',
  '欣怡',
  '浩然',
  '梓涵',
  '宇航',
  '诗琪',
  '俊杰',
  '思雨',
  '佳怡',
  '志强',
  '晓峰',
  '梦琪',
  '嘉豪',
  '雅婷',
  '天佑',
  '若曦',
  '文博',
  '可欣',
]
const ELDER_GIVEN = ['桂兰', '秀英', '德明', '玉梅', '长青', '凤英', '建国', '淑珍', '树林', '翠花']
const WORKPLACES = ['广东东莞', '浙江义乌', '福建晋江', '江苏苏州', '上海', '广东深圳']
const SCHOOLS = ['青山镇中心小学', '青山镇中学', '清水村小学', '石桥村教学点']
const LEARNED = {
  dailyLife: ['饮食起居正常', '爷爷奶奶照顾周到', '衣物单薄，已提醒添衣', '作息不太规律'],
  study: ['成绩中等，数学有进步', '作业能按时完成', '语文需要加强', '上课注意力不集中'],
  health: ['身体健康', '最近有点感冒，已好转', '视力下降，建议检查', '按时服药'],
  mood: ['情绪稳定，爱说爱笑', '想念父母，情绪低落', '比较内向，愿意交流了', '和同学相处融洽'],
}
const NEED_OF: Record<Category, MeasureKind> = {
  guardianship_gap: 'guardianship_guidance',
  poverty: 'hardship_relief',
  psych_behaviour: 'counselling',
  academic: 'education_correction',
  disability: 'medical_treatment',
}

/** A valid-format mainland ID number (region 522426, a county of Guizhou) with the right check digit. */
function idNumber(birth: Date, seq: number, male: boolean): string {
  const ymd = birth.toISOString().slice(0, 10).replaceAll('-', '')
  const order = seq * 2 + (male ? 1 : 0)
  const first17 = `522426${ymd}${String(order % 1000).padStart(3, '0')}`
  return first17 + idCheckChar(first17)
}

const phone = (n: number) => `139${String(10000000 + n * 7919).slice(-8)}`
const DAY = 86_400_000
const pick = <T>(list: readonly T[], i: number): T => list[i % list.length] as T

type ChildPlan = { village: DemoVillageKey; index: number; helper: string | null }

/** Which demo helper has which child: helper 1 and 2 in 清水村, helper 3 in 石桥村, a few unpaired. */
function plans(): ChildPlan[] {
  const out: ChildPlan[] = []
  for (let i = 0; i < 22; i++) {
    out.push({
      village: 'village-1',
      index: i,
      helper: i < 10 ? 'demo-helper-1' : i < 18 ? 'demo-helper-2' : null,
    })
  }
  for (let i = 0; i < 18; i++)
    out.push({ village: 'village-2', index: i, helper: i < 14 ? 'demo-helper-3' : null })
  return out
}

/** `org`: the township, villages and users only (most tests); `full`: with children, pairings and logs. */
export type DemoScope = 'org' | 'full'

export function demoSeed(now: Date, scope: DemoScope = 'full'): SeedBody {
  const townships: TownshipDoc[] = [{ _id: DEMO_IDS.township, name: DEMO_TOWNSHIP.name }]
  const villages: VillageDoc[] = (Object.keys(DEMO_VILLAGES) as DemoVillageKey[]).map((key) => ({
    _id: DEMO_IDS.villages[key],
    townshipId: DEMO_IDS.township,
    name: DEMO_VILLAGES[key].name,
  }))
  const users: UserDoc[] = DEMO_USERS.map((u, i) => ({
    _id: userId(u.openid),
    openid: u.openid,
    role: u.role,
    displayName: u.displayName,
    townshipId: DEMO_IDS.township,
    villageId: u.villageKey ? DEMO_IDS.villages[u.villageKey] : null,
    phone: phone(900 + i),
    helperOrgType:
      u.role === 'helper' ? pick(['teacher', 'party_member', 'volunteer'] as const, i) : null,
    guardianOf: [],
  }))
  const helperName = (openid: string) =>
    DEMO_USERS.find((u) => u.openid === openid)?.displayName ?? ''
  const creator = userId('demo-village-1')

  const children: ChildDoc[] = []
  const pairings: PairingDoc[] = []
  const logs: ContactLogDoc[] = []
  const dutyStates: unknown[] = []
  const contributions: Contribution[] = []
  const thisMonth = periodOf('month', now)
  const thisQuarter = periodOf('quarter', now)

  ;(scope === 'full' ? plans() : []).forEach((plan, n) => {
    const villageId = DEMO_IDS.villages[plan.village]
    const male = n % 2 === 0
    const age = 5 + (n % 11)
    const birth = chinaMidnight(now.getUTCFullYear() - age, 1 + (n % 12), 1 + ((n * 7) % 28))
    const primary = pick(
      ['guardianship_gap', 'poverty', 'psych_behaviour', 'academic', 'disability'] as const,
      n,
    )
    const categories: Category[] =
      n % 4 === 1 ? [primary, 'poverty' === primary ? 'academic' : 'poverty'] : [primary]
    const riskLevel: RiskLevel = n % 7 === 0 ? 'high' : n % 3 === 0 ? 'medium' : 'low'
    const isGuardianDemo = plan.village === 'village-1' && plan.index === 0
    const guardianName = isGuardianDemo
      ? '周桂兰'
      : `${pick(SURNAMES, n + 3)}${pick(ELDER_GIVEN, n)}`
    const childId = `chd-demo-${String(n + 1).padStart(2, '0')}`
    const guardianId = `gdn-demo-${String(n + 1).padStart(2, '0')}`
    const archived = plan.village === 'village-2' && plan.index >= 16
    const created = new Date(now.getTime() - 260 * DAY)
    children.push({
      _id: childId,
      townshipId: DEMO_IDS.township,
      villageId,
      name: `${pick(SURNAMES, n)}${pick(GIVEN, n * 3)}`,
      sex: male ? 'male' : 'female',
      birthDate: birth.toISOString().slice(0, 10),
      idNumber: idNumber(new Date(birth.getTime() + 8 * 3600_000), n + 11, male),
      school: pick(SCHOOLS, n),
      grade: age < 7 ? '学前班' : `${Math.min(age - 6, 9)}年级`,
      address: `${DEMO_TOWNSHIP.name}${DEMO_VILLAGES[plan.village].name}${1 + (n % 6)}组${10 + n}号`,
      parents: {
        father: {
          status: n % 9 === 3 ? 'deceased' : 'working_away',
          workplace: n % 9 === 3 ? '' : pick(WORKPLACES, n),
          homeFrequency: n % 9 === 3 ? null : 'yearly',
        },
        mother: {
          status: n % 5 === 2 ? 'absent' : 'working_away',
          workplace: n % 5 === 2 ? '' : pick(WORKPLACES, n + 2),
          homeFrequency: n % 5 === 2 ? null : 'twice_yearly',
        },
      },
      guardians: [
        {
          id: guardianId,
          name: guardianName,
          relation: 'grandparent',
          phone: isGuardianDemo ? '13900001111' : phone(n),
        },
      ],
      categories,
      academicSubtype: categories.includes('academic')
        ? pick(['deficit', 'personality', 'habits', 'environment', 'motivation'] as const, n)
        : null,
      riskLevel,
      needs: categories.map((c) => NEED_OF[c]),
      notes: riskLevel === 'high' ? '需重点关注' : '',
      status: archived ? 'archived' : 'active',
      archive: archived
        ? {
            reason: plan.index === 16 ? 'aged_out' : 'parents_returned',
            note: '',
            at: new Date(now.getTime() - 20 * DAY),
            by: creator,
          }
        : null,
      consent: {
        state: 'granted',
        records: [
          {
            decision: 'granted',
            guardianName,
            relation: 'grandparent',
            scopes: ['archive', 'photos'],
            method: 'paper_signed',
            note: '',
            at: created,
            by: creator,
          },
        ],
      },
      version: archived ? 2 : 1,
      createdAt: created,
      updatedAt: archived ? new Date(now.getTime() - 20 * DAY) : created,
      createdBy: creator,
    })
    if (isGuardianDemo) {
      const guardian = users.find((u) => u.openid === 'demo-guardian-1')
      if (guardian) {
        guardian.guardianOf = [{ childId, guardianId }]
        guardian.phone = '13900001111'
      }
    }

    // Pairings: most began eight months ago; one this month (its first month is not owed); one handed over.
    const childPairings: PairingDoc[] = []
    if (plan.helper && !archived) {
      const recent = plan.village === 'village-1' && plan.index === 9
      const handedOver = plan.village === 'village-1' && plan.index === 8
      const start = recent
        ? new Date(Math.max(thisMonth.start.getTime(), now.getTime() - 2 * DAY))
        : new Date(now.getTime() - 240 * DAY)
      if (handedOver) {
        const switchAt = new Date(now.getTime() - 35 * DAY)
        childPairings.push(
          pairingDoc(
            `pr-${childId}-a`,
            childId,
            'demo-helper-2',
            villageId,
            start,
            switchAt,
            'handover',
          ),
        )
        childPairings.push(
          pairingDoc(`pr-${childId}-b`, childId, plan.helper, villageId, switchAt, null, null),
        )
      } else {
        childPairings.push(
          pairingDoc(`pr-${childId}`, childId, plan.helper, villageId, start, null, null),
        )
      }
    }
    pairings.push(...childPairings)

    // Logs: monthly contact and quarterly visits in past periods, with a few missed to show overdue duties.
    const childLogs: ContactLogDoc[] = []
    const first = childPairings[0]
    if (first) {
      const addLog = (duty: Duty, at: Date) => {
        if (at.getTime() > now.getTime() || at.getTime() < first.start.getTime()) return
        const pairing =
          childPairings.find((p) => p.start <= at && (p.end === null || p.end > at)) ?? first
        const k = logs.length + childLogs.length
        childLogs.push({
          _id: `log-demo-${String(k + 1).padStart(4, '0')}`,
          childId,
          pairingId: pairing._id,
          helperId: userId(pairing.helperId.replace(/^usr-/, '')),
          helperName: helperName(pairing.helperId.replace(/^usr-/, '')),
          villageId,
          townshipId: DEMO_IDS.township,
          duty,
          occurredAt: at,
          mode: duty === 'guardian_contact' ? (k % 4 === 0 ? 'video' : 'phone') : 'in_person',
          learned: {
            dailyLife: pick(LEARNED.dailyLife, k),
            study: pick(LEARNED.study, k + 1),
            health: pick(LEARNED.health, k + 2),
            mood: pick(LEARNED.mood, k + 3),
          },
          problems: k % 5 === 0 ? '孩子反映想念父母，夜里偷偷哭' : '',
          actions: k % 5 === 0 ? '已联系孩子母亲每周视频通话一次' : '',
          createdAt: at,
          requestKey: `${userId(pairing.helperId.replace(/^usr-/, ''))}:seed-${k + 1}`,
          corrections: [],
          confirmation: null,
          photos: [],
        })
      }
      const missesLastMonth = n % 6 === 1
      const missesLastQuarter = n % 9 === 4
      for (
        let m = periodOf('month', first.start), i = 0;
        m.start < thisMonth.start;
        m = periodOf('month', m.end), i++
      ) {
        if (missesLastMonth && m.end.getTime() === thisMonth.start.getTime()) continue
        addLog(
          'guardian_contact',
          new Date(m.start.getTime() + (3 + ((n + i) % 20)) * DAY + 10 * 3600_000),
        )
      }
      if (n % 3 === 0)
        addLog(
          'guardian_contact',
          new Date(Math.max(thisMonth.start.getTime(), now.getTime() - 3 * DAY)),
        )
      for (
        let q = periodOf('quarter', first.start);
        q.start < thisQuarter.start;
        q = periodOf('quarter', q.end)
      ) {
        if (missesLastQuarter && q.end.getTime() === thisQuarter.start.getTime()) continue
        addLog('companionship', new Date(q.start.getTime() + (20 + (n % 30)) * DAY))
        addLog('home_visit', new Date(q.start.getTime() + (40 + (n % 30)) * DAY))
      }
      const quarterSoFar = now.getTime() - thisQuarter.start.getTime()
      if (n % 2 === 0)
        addLog('companionship', new Date(thisQuarter.start.getTime() + quarterSoFar * 0.4))
      if (n % 4 === 0)
        addLog('home_visit', new Date(thisQuarter.start.getTime() + quarterSoFar * 0.6))
    }
    logs.push(...childLogs)

    const lastLogs: PerDuty<Date | null> = { ...NO_LOGS }
    const latest: PerDuty<LatestLog | null> = { ...NO_LATEST }
    for (const log of childLogs) {
      const prev = lastLogs[log.duty]
      if (!prev || prev < log.occurredAt) {
        lastLogs[log.duty] = log.occurredAt
        latest[log.duty] = { logId: log._id, answer: null }
      }
    }
    const facts: DutyPairingFacts[] = childPairings.map((p) => ({
      helperId: p.helperId,
      helperName: helperName(p.helperId.replace(/^usr-/, '')),
      start: p.start,
      end: p.end,
      active: p.active,
    }))
    const child = children[children.length - 1] as ChildDoc
    const months = tallyLogs(childLogs)
    const state = buildDutyState(child, facts, lastLogs, DEFAULT_CADENCE, now, latest, months)
    dutyStates.push({ ...state, rev: 1 })
    contributions.push(childContribution(child), stateContribution(state, DEFAULT_CADENCE))
  })
  // Reminder quota (one-time subscriptions accepted) for the demo helpers and officers, except
  // demo-helper-2, so the local app shows both a delivered and an unreachable helper. Both sides are
  // seeded: WeChat's quota (the emulator's `grants`) and Shouhu's own ledger of acceptances.
  const granted =
    scope === 'full'
      ? users.flatMap((u) => demoTemplates(u).map((template) => ({ user: u, template })))
      : []
  const grants = granted.map(({ user, template }) => ({
    openid: user.openid,
    templateId: SUBSCRIPTIONS.templates[template].id,
    count: DEMO_QUOTA,
  }))
  const ledger = granted.map(({ user, template }) => ({
    _id: ledgerId(user._id, template),
    userId: user._id,
    openid: user.openid,
    role: user.role,
    townshipId: user.townshipId,
    villageId: user.villageId,
    displayName: user.displayName,
    template,
    templateId: SUBSCRIPTIONS.templates[template].id,
    remaining: DEMO_QUOTA,
    granted: DEMO_QUOTA,
    unreachableSince: null,
    grantRequests: [],
    updatedAt: now,
  }))

  return {
    grants,
    collections: {
      subscriptions: ledger.map(ejson),
      townships,
      villages,
      users,
      children: children.map(ejson),
      pairings: pairings.map(ejson),
      contact_logs: logs.map(ejson),
      duty_states: dutyStates.map(ejson),
      stats_rollups: [...rollupsOf(contributions).values()].map(({ id, ...r }) =>
        ejson({ _id: id, ...r, updatedAt: now }),
      ),
    },
  }

  function pairingDoc(
    id: string,
    childId: string,
    helperOpenid: string,
    villageId: string,
    start: Date,
    end: Date | null,
    endReason: string | null,
  ): PairingDoc {
    return {
      _id: id,
      childId,
      helperId: userId(helperOpenid),
      helperName: helperName(helperOpenid),
      townshipId: DEMO_IDS.township,
      villageId,
      start,
      end,
      active: end === null,
      activeKey: end === null ? childId : `ended:${id}`,
      endReason,
      createdBy: creator,
      createdAt: start,
    } as PairingDoc
  }
}

const DEMO_QUOTA = 30

/** The reminder templates a demo user has accepted (demo-helper-2 none: the unreachable case). */
function demoTemplates(user: UserDoc): TemplateKey[] {
  if (user.openid === 'demo-helper-2' || user.role === 'guardian') return []
  return user.role === 'helper' ? ['helper_digest'] : ['officer_digest', 'urgent_report']
}

/** Dates as EJSON `{$date}` so the seed endpoint stores real dates. */
function ejson(value: unknown): unknown {
  if (value instanceof Date) return { $date: value.toISOString() }
  if (Array.isArray(value)) return value.map(ejson)
  if (value && typeof value === 'object') {
    return Object.fromEntries(Object.entries(value).map(([k, v]) => [k, ejson(v)]))
  }
  return value
}

/** Loads the demo data into a running emulator through its seed endpoint, dated relative to its clock. */
export async function seedDemoData(emulatorUrl: string, scope: DemoScope = 'full'): Promise<void> {
  const clock = (await (await fetch(`${emulatorUrl}/__emulator/clock`)).json()) as { now: string }
  const res = await fetch(`${emulatorUrl}/__emulator/seed`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify(demoSeed(new Date(clock.now), scope)),
  })
  if (!res.ok) throw new Error(`seeding demo data failed: ${res.status} ${await res.text()}`)
}
