// docs/api.md stays true: every action of the contract is documented, and the access table lists it.
import fs from 'node:fs'
import path from 'node:path'
import { expect, it } from 'vitest'
import { ACCESS } from '../../src/core/access'
import { ACTIONS } from '../../src/core/actions'

const apiDoc = fs.readFileSync(path.join(__dirname, '..', '..', 'docs', 'api.md'), 'utf8')

it.each(Object.keys(ACTIONS))(
  'documents %s in docs/api.md and lists it in the access table',
  (action) => {
    expect(apiDoc).toContain(`\`${action}\``)
    expect(Object.prototype.hasOwnProperty.call(ACCESS, action)).toBe(true)
  },
)
