// h5's stand-in for WeChat's previewImage: a full-screen overlay of a log's photos, closed by a large button.
import { Text, View } from '@tarojs/components'
import { a11y } from '../a11y'
import { ActionButton } from '../ActionButton'
import { LabelledImage } from '../TextInput'
import './index.scss'

export function PhotoViewer({
  urls,
  onClose,
  testId,
}: {
  urls: readonly string[]
  onClose: () => void
  testId?: string
}) {
  return (
    <View
      className="photo-viewer"
      data-testid={testId}
      {...a11y({ role: 'dialog', 'aria-modal': true, 'aria-label': '照片' })}
    >
      <ActionButton onClick={onClose} testId={testId ? `${testId}-close` : undefined}>
        关闭
      </ActionButton>
      <Text className="photo-viewer__note">照片链接几分钟后失效，如需再看请重新打开</Text>
      {urls.map((url, i) => (
        <LabelledImage
          key={url}
          className="photo-viewer__photo"
          src={url}
          alt={`第${i + 1}张照片，共${urls.length}张`}
        />
      ))}
    </View>
  )
}
