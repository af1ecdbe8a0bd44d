// Month or quarter, then one of the recent periods of that kind (default: the current month); and the
// period with the scope (the whole township or one of its villages) as the dashboard and the ledger pick them.
import { View } from '@tarojs/components'
import { useMemo, useState, type ReactNode } from 'react'
import { useApiQuery } from '../../services'
import { periodLabel, recentPeriods, type PeriodKind } from '../dashboard/periods'
import { Chips } from './Chips'
import type { Officer } from './OfficerGate'

export function PeriodPicker({
  kind,
  periodKey,
  onChange,
}: {
  kind: PeriodKind
  periodKey: string
  onChange: (kind: PeriodKind, key: string) => void
}) {
  const options = useMemo(
    () =>
      recentPeriods(kind, new Date(), kind === 'month' ? 6 : 4).map((p) => ({
        value: p.key,
        label: periodLabel(p.key),
      })),
    [kind],
  )
  return (
    <View>
      <Chips
        label="统计周期"
        options={[
          { value: 'month', label: '按月' },
          { value: 'quarter', label: '按季度' },
        ]}
        selected={[kind]}
        onToggle={(k) => onChange(k, recentPeriods(k, new Date(), 1)[0]!.key)}
        testId="period-kind"
      />
      <Chips
        label="选择期间"
        options={options}
        selected={[periodKey]}
        onToggle={(key) => onChange(kind, key)}
        testId="period"
      />
    </View>
  )
}

export function currentPeriodKey(kind: PeriodKind): string {
  return recentPeriods(kind, new Date(), 1)[0]!.key
}

/**
 * The chosen period and village (null: the caller's whole scope), with the controls to choose them: a
 * township officer also picks 全镇 or one village; a village officer always sees their own.
 */
export function usePeriodAndScope(
  officer: Officer,
  scopeTestId?: string,
): { period: string; villageId: string | null; controls: ReactNode } {
  const [kind, setKind] = useState<PeriodKind>('month')
  const [period, setPeriod] = useState(() => currentPeriodKey('month'))
  const [villageId, setVillageId] = useState<string | null>(null)
  const villages = useApiQuery('org.villages', {}, { enabled: officer.role === 'township_officer' })
  const controls = (
    <View>
      <PeriodPicker
        kind={kind}
        periodKey={period}
        onChange={(k, key) => {
          setKind(k)
          setPeriod(key)
        }}
      />
      {officer.role === 'township_officer' && villages.status === 'ready' ? (
        <Chips
          label="范围"
          options={[
            { value: 'all', label: '全镇' },
            ...villages.data.villages.map((v) => ({ value: v.id, label: v.name })),
          ]}
          selected={[villageId ?? 'all']}
          onToggle={(v) => setVillageId(v === 'all' ? null : v)}
          {...(scopeTestId ? { testId: scopeTestId } : {})}
        />
      ) : null}
    </View>
  )
  return { period, villageId, controls }
}
