// A labelled one-line input and an image with a text alternative. In h5, Taro's web components keep
// the label and alt on the host element, not on the inner <input>/<img>, so screen readers (and axe)
// miss them: h5 renders the native elements instead; weapp uses Taro's (the other branch is removed at build).
import { Image, Input, Textarea } from '@tarojs/components'
import { createElement } from 'react'

export function TextInput({
  value,
  onChange,
  label,
  testId,
  maxLength,
  placeholder,
  numeric = false,
  className = 'field__input',
}: {
  value: string
  onChange: (value: string) => void
  label: string
  testId?: string
  maxLength?: number
  placeholder?: string
  numeric?: boolean
  className?: string
}) {
  if (SHOUHU_LOCAL_MODE) {
    return createElement('input', {
      className,
      value,
      'aria-label': label,
      'data-testid': testId,
      maxLength,
      placeholder,
      inputMode: numeric ? 'numeric' : undefined,
      onChange: (e: { target: { value: string } }) => onChange(e.target.value),
    })
  }
  return (
    <Input
      className={className}
      value={value}
      type={numeric ? 'number' : 'text'}
      maxlength={maxLength}
      placeholder={placeholder}
      ariaLabel={label}
      onInput={(e) => onChange(e.detail.value)}
    />
  )
}

export function LabelledImage({
  src,
  alt,
  className,
}: {
  src: string
  alt: string
  className?: string
}) {
  if (SHOUHU_LOCAL_MODE) return createElement('img', { src, alt, className })
  return <Image className={className} src={src} mode="aspectFit" ariaLabel={alt} />
}

export function TextArea({
  value,
  onChange,
  label,
  testId,
  maxLength,
}: {
  value: string
  onChange: (value: string) => void
  label: string
  testId?: string
  maxLength?: number
}) {
  if (SHOUHU_LOCAL_MODE) {
    return createElement('textarea', {
      className: 'field__textarea',
      value,
      'aria-label': label,
      'data-testid': testId,
      maxLength,
      onChange: (e: { target: { value: string } }) => onChange(e.target.value),
    })
  }
  return (
    <Textarea
      className="field__textarea"
      value={value}
      maxlength={maxLength}
      ariaLabel={label}
      onInput={(e) => onChange(e.detail.value)}
    />
  )
}
