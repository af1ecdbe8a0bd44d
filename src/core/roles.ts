// The programme's roles and their Chinese names, as BRIEF.md fixes them.

export const ROLES = ['helper', 'guardian', 'village_officer', 'township_officer'] as const
export type Role = (typeof ROLES)[number]

export const ROLE_LABELS: Record<Role, string> = {
  helper: '帮扶人',
  guardian: '监护人',
  village_officer: '村级人员',
  township_officer: '镇未保办',
}
