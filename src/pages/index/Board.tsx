// The helper's duty board: my children, most urgent first, each duty as a labelled coloured state.
import { Text, View } from '@tarojs/components'
import Taro, { useDidShow, usePullDownRefresh } from '@tarojs/taro'
import { useRef } from 'react'
import { DUTIES, DUTY_LABELS } from '../../core/cadence'
import type { DutyBoardItem } from '../../core/duties'
import { CATEGORY_LABELS } from '../../core/domain'
import {
  a11y,
  ActionButton,
  dutyStatusText,
  dutyTone,
  ErrorState,
  LoadingState,
  shortDate,
  StatusTag,
} from '../../components'
import { useApiQuery, useDrafts, type Draft } from '../../services'

export function HelperBoard() {
  const board = useApiQuery('duties.list', {})
  const queue = useDrafts()
  const shownOnce = useRef(false)

  // Back from logging a contact: the board must show the new state.
  useDidShow(() => {
    if (shownOnce.current) board.reload()
    shownOnce.current = true
  })
  usePullDownRefresh(() => {
    board.reload()
    setTimeout(() => void Taro.stopPullDownRefresh(), 600)
  })

  return (
    <View className="board" data-testid="board">
      <View className="board__head">
        <Text className="board__title" {...a11y({ role: 'heading', 'aria-level': 1 })}>
          我的结对儿童
        </Text>
        {board.status === 'ready' && board.data.counts.overdue > 0 ? (
          <Text className="board__badge" data-testid="overdue-badge">
            逾期 {board.data.counts.overdue} 人
          </Text>
        ) : null}
      </View>

      <DraftsBanner queue={queue} />
      <UndeliveredReminders />

      {board.status === 'loading' ? (
        <LoadingState />
      ) : board.status === 'error' ? (
        <ErrorState error={board.error} onRetry={board.reload} />
      ) : board.data.items.length === 0 ? (
        <View className="board__empty" data-testid="board-empty">
          <Text>目前还没有与您结对的儿童。村里的儿童主任为您安排结对后，孩子会出现在这里。</Text>
        </View>
      ) : (
        <View className="board__list">
          {board.data.counts.due_soon > 0 ? (
            <Text className="board__summary">即将到期 {board.data.counts.due_soon} 人</Text>
          ) : null}
          {board.data.items.map((item) => (
            <BoardRow
              key={item.child.id}
              item={item}
              waiting={queue.filter((d) => d.input.childId === item.child.id).length}
            />
          ))}
        </View>
      )}

      <View className="board__actions">
        <ActionButton variant="secondary" onClick={board.reload} testId="board-refresh">
          刷新
        </ActionButton>
      </View>
    </View>
  )
}

function BoardRow({ item, waiting }: { item: DutyBoardItem; waiting: number }) {
  const open = () =>
    void Taro.navigateTo({ url: `/pages/child/index?id=${encodeURIComponent(item.child.id)}` })
  return (
    <View
      className={`board-row board-row--${item.urgency ?? 'none'}`}
      onClick={open}
      data-testid={`board-row-${item.child.id}`}
      // Named by what it shows (the child's name first), so a voice command using the visible text finds it.
      {...a11y({ role: 'link' }, open)}
    >
      <View className="board-row__top">
        <Text className="board-row__name">{item.child.name}</Text>
        <Text className="board-row__more" aria-hidden="true">
          详情 ›
        </Text>
      </View>
      <Text className="board-row__meta">
        {item.child.categories.map((c) => CATEGORY_LABELS[c]).join('、') || '—'}
      </Text>
      <View className="board-row__duties">
        {DUTIES.map((d) => (
          <StatusTag
            key={d}
            tone={dutyTone(item.duties[d].status)}
            text={dutyStatusText(d, item.duties[d].status)}
            testId={`duty-${item.child.id}-${d}`}
          />
        ))}
      </View>
      {DUTIES.some((d) => item.duties[d].confirmation) ? (
        <View className="board-row__duties">
          {DUTIES.filter((d) => item.duties[d].confirmation).map((d) => (
            <StatusTag
              key={d}
              tone={item.duties[d].confirmation === 'confirmed' ? 'info' : 'warn'}
              text={`${DUTY_LABELS[d]}：${item.duties[d].confirmation === 'confirmed' ? '监护人已确认' : '监护人有异议'}`}
              testId={`confirmation-${item.child.id}-${d}`}
            />
          ))}
        </View>
      ) : null}
      <Text className="board-row__meta">
        最近联系：{item.lastContactAt ? shortDate(item.lastContactAt) : '暂无记录'}
      </Text>
      {waiting > 0 ? (
        <StatusTag tone="warn" text={`待发送 ${waiting} 条`} testId={`waiting-${item.child.id}`} />
      ) : null}
    </View>
  )
}

/** Logs kept on the phone: how many wait for signal, and any the server refused. */
function DraftsBanner({ queue }: { queue: readonly Draft[] }) {
  if (queue.length === 0) return null
  const pending = queue.filter((d) => d.state === 'pending').length
  const rejected = queue.length - pending
  return (
    <View className="board__drafts" data-testid="drafts-banner" {...a11y({ role: 'status' })}>
      {pending > 0 ? <Text>{pending} 条记录待发送：有网络时会自动发送，请勿卸载微信。</Text> : null}
      {rejected > 0 ? <Text>{rejected} 条记录未能提交，请打开孩子页面查看。</Text> : null}
    </View>
  )
}

/**
 * Reminders WeChat could not deliver (no subscription quota left, or refused): listed here so the
 * helper still learns what was due, with the way to receive them again (the subscription prompt).
 */
function UndeliveredReminders() {
  const mine = useApiQuery('reminders.mine', {})
  if (mine.status !== 'ready' || mine.data.badge === 0) return null
  return (
    <View className="board__undelivered" data-testid="undelivered-reminders">
      <Text className="board__undelivered-title">有 {mine.data.badge} 条提醒没能发到您的微信</Text>
      {mine.data.items.slice(0, 3).map((item) => (
        <Text key={item.id} className="board__undelivered-item">
          {item.reason}
        </Text>
      ))}
      <Text className="board__undelivered-hint">点下方“开启提醒”，以后的提醒就能按时收到。</Text>
    </View>
  )
}
