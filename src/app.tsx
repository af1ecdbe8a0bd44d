// The app shell: connects to WeChat Cloud once, loads global styles, renders the current page.
import type { PropsWithChildren } from 'react'
import { initCloud, startDraftSync } from './services'
import './app.scss'

initCloud()
// Contact logs saved without signal go out at launch and whenever the connection returns.
startDraftSync()

export default function App({ children }: PropsWithChildren) {
  return children
}
