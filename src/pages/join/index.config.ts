export default definePageConfig({
  navigationBarTitleText: '加入守护',
})
