export default definePageConfig({ navigationBarTitleText: '督导评估' })
