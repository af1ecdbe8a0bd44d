// Pieces shared by the officer screens (subpackage only; the main package never imports them).
export { Chips, keyboard, optionsOf, type ChipOption } from './Chips'
export { TextField } from './TextField'
export { Card, Empty, LinkRow, Notice, Row, Screen, Tag } from './Layout'
export { OfficerGate, isOfficer, type Officer } from './OfficerGate'
import './officer.scss'
