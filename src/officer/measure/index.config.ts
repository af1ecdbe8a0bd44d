export default definePageConfig({ navigationBarTitleText: '帮扶措施' })
