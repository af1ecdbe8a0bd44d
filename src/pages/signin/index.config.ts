export default definePageConfig({
  navigationBarTitleText: '选择身份（本地模式）',
})
