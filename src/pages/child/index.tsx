// One paired child: facts as the helper may see them, guardians to call, contact history, measures, urgent report.
import { Text, View } from '@tarojs/components'
import Taro, { useDidShow, useRouter } from '@tarojs/taro'
import { useRef, useState } from 'react'
import { DUTY_LABELS } from '../../core/cadence'
import { CATEGORY_LABELS, CONTACT_MODE_LABELS, GUARDIAN_RELATION_LABELS } from '../../core/domain'
import type { ContactLogView } from '../../core/contacts'
import type { ChildHelperView } from '../../core/children'
import { MEASURE_KIND_LABELS } from '../../core/domain'
import { MEASURE_STATUS_LABELS } from '../../core/measures'
import {
  a11y,
  ActionButton,
  Card,
  CONFIRMATION_LABELS,
  ErrorState,
  LoadingState,
  PhotoViewer,
  shortDate,
  StatusTag,
} from '../../components'
import {
  drafts,
  photos,
  platform,
  startDraftSync,
  toApiError,
  useApiQuery,
  useDrafts,
} from '../../services'
import './index.scss'

export default function ChildPage() {
  const { params } = useRouter()
  const childId = params.id ?? ''
  const child = useApiQuery('children.get', { id: childId }, { enabled: childId !== '' })
  const logs = useApiQuery('contacts.list', { childId }, { enabled: childId !== '' })
  const measures = useApiQuery('measures.list', { childId }, { enabled: childId !== '' })
  const shownOnce = useRef(false)
  useDidShow(() => {
    startDraftSync()
    if (shownOnce.current) logs.reload()
    shownOnce.current = true
  })

  if (childId === '') return <View className="child">缺少儿童编号</View>
  if (child.status === 'loading') return <LoadingState />
  if (child.status === 'error') return <ErrorState error={child.error} onRetry={child.reload} />
  if (child.data.view !== 'helper') return <View className="child">此页面仅供结对帮扶人使用</View>
  const c = child.data

  return (
    <View className="child" data-testid="child-page">
      <Text className="child__name" {...a11y({ role: 'heading', 'aria-level': 1 })}>
        {c.name}
      </Text>
      <Text className="child__sub">
        {c.sex === 'male' ? '男' : '女'} · {c.age}岁 · {c.villageName}
      </Text>

      <View className="child__actions">
        <ActionButton
          onClick={() => void Taro.navigateTo({ url: `/pages/log/index?childId=${c.id}` })}
          testId="log-contact"
        >
          记录联系 / 走访
        </ActionButton>
      </View>

      <Waiting childId={c.id} />

      <Card title="基本情况" testId="child-facts">
        <Fact label="身份证号" value={c.idNumberMasked ?? '未登记'} />
        <Fact label="学校年级" value={[c.school, c.grade].filter(Boolean).join(' ') || '—'} />
        <Fact label="家庭住址" value={c.address || '—'} />
        <View className="child__tags">
          {c.categories.length === 0 ? <Text>—</Text> : null}
          {c.categories.map((k) => (
            <StatusTag key={k} tone="open" text={CATEGORY_LABELS[k]} />
          ))}
        </View>
      </Card>

      <Guardians guardians={c.guardians} />

      <Card title="联系记录" testId="contact-history">
        {logs.status === 'loading' ? (
          <LoadingState />
        ) : logs.status === 'error' ? (
          <ErrorState error={logs.error} onRetry={logs.reload} />
        ) : logs.data.view !== 'full' || logs.data.logs.length === 0 ? (
          <Text>暂无联系记录</Text>
        ) : (
          logs.data.logs.map((log) => <LogRow key={log.id} log={log} />)
        )}
      </Card>

      <Card title="帮扶措施" testId="measures">
        {measures.status === 'loading' ? (
          <LoadingState />
        ) : measures.status === 'error' ? (
          <Text>暂时无法加载帮扶措施</Text>
        ) : measures.data.plan.measures.length === 0 ? (
          <Text>
            暂无帮扶措施
            {c.needs.length
              ? `（需要：${c.needs.map((n) => MEASURE_KIND_LABELS[n]).join('、')}）`
              : ''}
          </Text>
        ) : (
          measures.data.plan.measures.map((m) => (
            <View key={m.id} className="child__row">
              <Text className="child__row-title">
                {MEASURE_KIND_LABELS[m.kind]} · {MEASURE_STATUS_LABELS[m.status]}
              </Text>
              <Text>{m.what}</Text>
            </View>
          ))
        )}
      </Card>

      <View className="child__report">
        <ActionButton
          variant="secondary"
          className="child__report-button"
          onClick={() =>
            void Taro.navigateTo({ url: `/pages/report/index?childId=${encodeURIComponent(c.id)}` })
          }
          label="强制报告：发现侵害、伤害、遗弃、辍学或监护人缺失时立即报告"
          testId="urgent-report"
        >
          强制报告
        </ActionButton>
        <Text className="child__report-hint">
          发现侵害、伤害、遗弃、辍学或监护人缺失，请立即报告
        </Text>
      </View>
    </View>
  )
}

function Fact({ label, value }: { label: string; value: string }) {
  return (
    <View className="child__fact">
      <Text className="child__fact-label">{label}</Text>
      <Text className="child__fact-value">{value}</Text>
    </View>
  )
}

function Guardians({ guardians }: { guardians: ChildHelperView['guardians'] }) {
  return (
    <Card title="监护人" testId="guardians">
      {guardians.length === 0 ? <Text>未登记监护人</Text> : null}
      {guardians.map((g) => (
        <View key={g.id} className="child__row child__guardian">
          <View className="child__guardian-who">
            <Text className="child__row-title">{g.name}</Text>
            <Text>
              {GUARDIAN_RELATION_LABELS[g.relation as keyof typeof GUARDIAN_RELATION_LABELS] ??
                g.relation}{' '}
              · {g.phone}
            </Text>
          </View>
          <ActionButton
            variant="secondary"
            className="child__call"
            onClick={() => platform.makePhoneCall(g.phone)}
            label={`拨打电话：${g.name}`}
            testId={`call-${g.id}`}
          >
            拨打电话
          </ActionButton>
        </View>
      ))}
    </Card>
  )
}

function LogRow({ log }: { log: ContactLogView }) {
  const conf = log.confirmation
  return (
    <View className="child__row" data-testid={`log-${log.id}`}>
      <Text className="child__row-title">
        {shortDate(log.occurredAt)} · {DUTY_LABELS[log.duty]} · {CONTACT_MODE_LABELS[log.mode]}
      </Text>
      <Text className="child__row-meta">记录人：{log.helperName}</Text>
      {log.checkin ? <Text className="child__row-meta">已扫码签到</Text> : null}
      {log.photoCount > 0 ? <LogPhotos logId={log.id} count={log.photoCount} /> : null}
      <View className="child__row-status">
        <StatusTag
          tone={conf ? (conf.answer === 'confirmed' ? 'info' : 'overdue') : 'muted'}
          text={conf ? CONFIRMATION_LABELS[conf.answer] : CONFIRMATION_LABELS.none}
          testId={`confirmation-${log.id}`}
        />
      </View>
      {conf?.comment ? <Text className="child__row-meta">监护人说明：{conf.comment}</Text> : null}
      {!conf ? (
        <ActionButton
          variant="secondary"
          onClick={() => void Taro.navigateTo({ url: `/pages/share/index?logId=${log.id}` })}
          testId={`ask-confirm-${log.id}`}
        >
          请监护人确认
        </ActionButton>
      ) : null}
    </View>
  )
}

/**
 * "照片 N": fetches short-lived links when tapped (never before), then WeChat's viewer or, in h5, an
 * overlay. A link that expired is simply fetched again on the next tap.
 */
function LogPhotos({ logId, count }: { logId: string; count: number }) {
  const [urls, setUrls] = useState<string[] | null>(null)
  const [loading, setLoading] = useState(false)
  const [error, setError] = useState<string | null>(null)
  const open = async () => {
    if (loading) return
    setLoading(true)
    setError(null)
    try {
      const links = (await photos.photoLinks(logId)).map((l) => l.url)
      if (links.length === 0) setError('照片已不存在')
      else if (SHOUHU_LOCAL_MODE) setUrls(links)
      else photos.previewPhotos(links, 0)
    } catch (e) {
      setError(toApiError(e).message)
    } finally {
      setLoading(false)
    }
  }
  return (
    <View className="child__photos">
      <ActionButton
        variant="secondary"
        className="child__photos-button"
        onClick={() => void open()}
        label={`照片 ${count}，点击查看`}
        testId={`photos-${logId}`}
      >
        {loading ? '正在打开…' : `照片 ${count}`}
      </ActionButton>
      {error ? (
        <Text className="child__row-meta" {...a11y({ role: 'alert' })}>
          {error}
        </Text>
      ) : null}
      {urls ? (
        <PhotoViewer urls={urls} onClose={() => setUrls(null)} testId={`photo-viewer-${logId}`} />
      ) : null}
    </View>
  )
}

/** Logs for this child still on the phone. */
function Waiting({ childId }: { childId: string }) {
  const queue = useDrafts().filter((d) => d.input.childId === childId)
  if (queue.length === 0) return null
  return (
    <Card title="待发送的记录" testId="child-drafts">
      {queue.map((d) => (
        <View key={d.requestId} className="child__row">
          <Text className="child__row-title">
            {shortDate(new Date(d.input.occurredAt))} · {DUTY_LABELS[d.input.duty]}
          </Text>
          {d.photos?.length ? (
            <Text className="child__row-meta">含{d.photos.length}张照片</Text>
          ) : null}
          {d.state === 'pending' ? (
            <StatusTag tone="warn" text="待发送（有网络时自动发送）" />
          ) : (
            <>
              <StatusTag tone="overdue" text="未能提交" />
              <Text className="child__row-meta">{d.lastError}</Text>
              <ActionButton variant="secondary" onClick={() => drafts.remove(d.requestId)}>
                删除这条记录
              </ActionButton>
            </>
          )}
        </View>
      ))}
      <ActionButton variant="secondary" onClick={() => void drafts.flush()} testId="send-drafts">
        立即重新发送
      </ActionButton>
    </Card>
  )
}
