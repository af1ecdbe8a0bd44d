// The app shell: connects to WeChat Cloud once, loads global styles, renders the current page.
import type { PropsWithChildren } from 'react'
import { initCloud } from './services'
import './app.scss'

initCloud()

export default function App({ children }: PropsWithChildren) {
  return children
}
