export default definePageConfig({
  navigationBarTitleText: '上门签到',
})
