export default definePageConfig({
  navigationBarTitleText: '守护',
  // The helper's board: pull down to refresh it.
  enablePullDownRefresh: true,
})
