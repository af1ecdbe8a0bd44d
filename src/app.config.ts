// The app's pages and window. The demo-user sign-in page exists only in the local h5 build.
const isLocalMode = process.env.TARO_ENV === 'h5'

export default defineAppConfig({
  pages: ['pages/index/index', ...(isLocalMode ? ['pages/signin/index'] : [])],
  window: {
    navigationBarTitleText: '守护',
    navigationBarBackgroundColor: '#ffffff',
    navigationBarTextStyle: 'black',
    backgroundColor: '#f4f5f7',
    backgroundTextStyle: 'dark',
  },
  // h5 only: route transitions would make screenshots catch a page mid-slide.
  ...(isLocalMode ? { animation: false } : {}),
})
