export default definePageConfig({ navigationBarTitleText: '结对帮扶人' })
