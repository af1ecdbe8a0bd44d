// A labelled text box (one line or several) with its field message, labelled for screen readers in both targets.
import { Input, Text, Textarea, View } from '@tarojs/components'

interface TextFieldProps {
  label: string
  value: string
  onChange: (value: string) => void
  placeholder?: string
  error?: string
  multiline?: boolean
  maxLength?: number
  type?: 'text' | 'number' | 'idcard' | 'digit'
  hint?: string
}

export function TextField({
  label,
  value,
  onChange,
  placeholder,
  error,
  multiline = false,
  maxLength = 200,
  type = 'text',
  hint,
}: TextFieldProps) {
  // h5 renders Taro's input as a custom element around a native <input>: nativeProps reaches the latter.
  const a11y = { ariaLabel: label, nativeProps: { 'aria-label': label, 'aria-invalid': !!error } }
  return (
    <View className="o-field">
      <Text className="o-field__label">{label}</Text>
      {multiline ? (
        <Textarea
          className={`o-input o-input--multi${error ? ' o-input--invalid' : ''}`}
          value={value}
          placeholder={placeholder}
          maxlength={maxLength}
          autoHeight
          onInput={(e) => onChange(e.detail.value)}
          {...a11y}
        />
      ) : (
        <Input
          className={`o-input${error ? ' o-input--invalid' : ''}`}
          value={value}
          type={type}
          placeholder={placeholder}
          maxlength={maxLength}
          onInput={(e) => onChange(e.detail.value)}
          {...a11y}
        />
      )}
      {hint && !error ? <Text className="o-field__hint">{hint}</Text> : null}
      {error ? (
        <View className="o-field__error" role="alert">
          {error}
        </View>
      ) : null}
    </View>
  )
}
