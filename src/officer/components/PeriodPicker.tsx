// Month or quarter, then one of the recent periods of that kind (default: the current month).
import { View } from '@tarojs/components'
import { useMemo } from 'react'
import { periodLabel, recentPeriods, type PeriodKind } from '../dashboard/periods'
import { Chips } from './Chips'

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
