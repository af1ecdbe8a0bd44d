export default definePageConfig({
  navigationBarTitleText: '确认帮扶记录',
})
