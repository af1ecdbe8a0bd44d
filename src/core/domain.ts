// The programme's vocabulary (BRIEF.md): code values and their Chinese labels, one English name per term.

export const CATEGORIES = [
  'guardianship_gap',
  'poverty',
  'psych_behaviour',
  'academic',
  'disability',
] as const
export type Category = (typeof CATEGORIES)[number]
export const CATEGORY_LABELS: Record<Category, string> = {
  guardianship_gap: '监护缺失',
  poverty: '家庭贫困',
  psych_behaviour: '心理和行为偏差',
  academic: '学业困难',
  disability: '身体残疾',
}

/** Sub-types of academic difficulty (学业困难), from the programme text. */
export const ACADEMIC_SUBTYPES = [
  'deficit',
  'personality',
  'habits',
  'environment',
  'motivation',
] as const
export type AcademicSubtype = (typeof ACADEMIC_SUBTYPES)[number]
export const ACADEMIC_SUBTYPE_LABELS: Record<AcademicSubtype, string> = {
  deficit: '欠缺型',
  personality: '性格问题型',
  habits: '无良好习惯型',
  environment: '受外界环境影响',
  motivation: '缺乏动力型',
}

export const RISK_LEVELS = ['high', 'medium', 'low'] as const
export type RiskLevel = (typeof RISK_LEVELS)[number]
export const RISK_LEVEL_LABELS: Record<RiskLevel, string> = { high: '高', medium: '中', low: '低' }

/** The six kinds of measure (帮扶措施); a child's needs are named with the same values. */
export const MEASURE_KINDS = [
  'hardship_relief',
  'guardianship_guidance',
  'medical_treatment',
  'education_correction',
  'counselling',
  'legal_aid',
] as const
export type MeasureKind = (typeof MEASURE_KINDS)[number]
export const MEASURE_KIND_LABELS: Record<MeasureKind, string> = {
  hardship_relief: '困难帮扶',
  guardianship_guidance: '监护指导',
  medical_treatment: '医疗救治',
  education_correction: '教育矫治',
  counselling: '心理疏导',
  legal_aid: '法律援助',
}

export const ARCHIVE_REASONS = ['parents_returned', 'aged_out', 'moved', 'other'] as const
export type ArchiveReason = (typeof ARCHIVE_REASONS)[number]
export const ARCHIVE_REASON_LABELS: Record<ArchiveReason, string> = {
  parents_returned: '父母返乡',
  aged_out: '年满16周岁',
  moved: '迁出本镇',
  other: '其他',
}

export const HELPER_ORG_TYPES = [
  'teacher',
  'party_member',
  'village_cadre',
  'volunteer',
  'social_org',
] as const
export type HelperOrgType = (typeof HELPER_ORG_TYPES)[number]
export const HELPER_ORG_TYPE_LABELS: Record<HelperOrgType, string> = {
  teacher: '教师',
  party_member: '党员',
  village_cadre: '村干部',
  volunteer: '志愿者',
  social_org: '社会组织',
}

export const CONTACT_MODES = ['phone', 'video', 'in_person'] as const
export type ContactMode = (typeof CONTACT_MODES)[number]
export const CONTACT_MODE_LABELS: Record<ContactMode, string> = {
  phone: '电话',
  video: '视频',
  in_person: '当面',
}

export const GUARDIAN_RELATIONS = ['grandparent', 'parent', 'sibling', 'relative', 'other'] as const
export type GuardianRelation = (typeof GUARDIAN_RELATIONS)[number]
export const GUARDIAN_RELATION_LABELS: Record<GuardianRelation, string> = {
  grandparent: '祖父母/外祖父母',
  parent: '父母',
  sibling: '兄姐',
  relative: '其他亲属',
  other: '其他',
}

/** Where a parent is, as the archive records it (父母情况). */
export const PARENT_STATUSES = ['working_away', 'at_home', 'deceased', 'absent', 'unknown'] as const
export type ParentStatus = (typeof PARENT_STATUSES)[number]
export const PARENT_STATUS_LABELS: Record<ParentStatus, string> = {
  working_away: '外出务工',
  at_home: '在家',
  deceased: '已故',
  absent: '离异或失联',
  unknown: '不详',
}

/** How often a parent working away comes home. */
export const HOME_VISIT_FREQUENCIES = [
  'monthly',
  'quarterly',
  'twice_yearly',
  'yearly',
  'rarely',
] as const
export type HomeVisitFrequency = (typeof HOME_VISIT_FREQUENCIES)[number]
export const HOME_VISIT_FREQUENCY_LABELS: Record<HomeVisitFrequency, string> = {
  monthly: '每月',
  quarterly: '每季度',
  twice_yearly: '每年两次',
  yearly: '每年一次',
  rarely: '很少回家',
}

/** What a guardian consents to (PIPL art. 31: processing a minor's personal information). */
export const CONSENT_SCOPES = ['archive', 'photos', 'share_with_departments'] as const
export type ConsentScope = (typeof CONSENT_SCOPES)[number]
export const CONSENT_SCOPE_LABELS: Record<ConsentScope, string> = {
  archive: '建立和使用帮扶档案',
  photos: '走访照片留存',
  share_with_departments: '向相关部门共享帮扶信息',
}
export const CONSENT_METHODS = ['paper_signed', 'in_app', 'verbal_witnessed'] as const
export type ConsentMethod = (typeof CONSENT_METHODS)[number]
export const CONSENT_METHOD_LABELS: Record<ConsentMethod, string> = {
  paper_signed: '纸质签字',
  in_app: '小程序内确认',
  verbal_witnessed: '口头同意（有见证人）',
}
