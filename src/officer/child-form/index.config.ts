export default definePageConfig({ navigationBarTitleText: '登记儿童档案' })
