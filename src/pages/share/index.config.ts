export default definePageConfig({
  navigationBarTitleText: '请监护人确认',
  // The share card to the guardian's chat (onShareAppMessage).
  enableShareAppMessage: true,
})
