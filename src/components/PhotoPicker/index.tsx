// The log form's photo row: thumbnails with a remove button each, and one large "add" button up to the limit.
import { View } from '@tarojs/components'
import { ActionButton } from '../ActionButton'
import { LabelledImage } from '../TextInput'
import './index.scss'

export function PhotoPicker({
  photos,
  max,
  onAdd,
  onRemove,
  busy = false,
  testId,
}: {
  /** what each thumbnail shows: a local file path (weapp) or a data URL (h5) */
  photos: readonly { src: string }[]
  max: number
  onAdd: () => void
  onRemove: (index: number) => void
  busy?: boolean
  testId?: string
}) {
  return (
    <View className="photo-picker" data-testid={testId}>
      {photos.length > 0 ? (
        <View className="photo-picker__grid">
          {photos.map((p, i) => (
            <View key={`${i}-${p.src.slice(-24)}`} className="photo-picker__item">
              <LabelledImage
                className="photo-picker__thumb"
                src={p.src}
                alt={`已添加的第${i + 1}张照片`}
              />
              <ActionButton
                variant="secondary"
                className="photo-picker__remove"
                onClick={() => onRemove(i)}
                label={`删除第${i + 1}张照片`}
                testId={testId ? `${testId}-remove-${i}` : undefined}
              >
                删除
              </ActionButton>
            </View>
          ))}
        </View>
      ) : null}
      {photos.length < max ? (
        <ActionButton
          variant="secondary"
          onClick={onAdd}
          disabled={busy}
          label={`添加照片，还可添加${max - photos.length}张`}
          testId={testId ? `${testId}-add` : undefined}
        >
          {busy ? '正在读取照片…' : `＋ 添加照片（${photos.length}/${max}）`}
        </ActionButton>
      ) : null}
    </View>
  )
}
