// The app's pages and window. The demo-user sign-in page exists only in the local h5 build.
const isLocalMode = process.env.TARO_ENV === 'h5'

/** Main package: what helpers and guardians open first (kept small: it loads before anything else). */
const MAIN_PAGES = [
  'pages/index/index',
  'pages/child/index',
  'pages/log/index',
  'pages/share/index',
  'pages/checkin/index',
  'pages/join/index',
  'pages/invite/index',
  'pages/report/index',
]

/** Officer pages: subpackage `officer`, downloaded only when an officer opens one. */
const OFFICER_PAGES: string[] = [
  'home/index',
  'children/index',
  'child/index',
  'child-form/index',
  'pair/index',
  'measure/index',
  'reports/index',
  'report/index',
  'dashboard/index',
  'ledger/index',
  'helper/index',
]

/** Guardian confirmation: independent subpackage `confirm`, so a guardian's scan opens it without the rest. */
const CONFIRM_PAGES: string[] = ['index']

export default defineAppConfig({
  pages: [...MAIN_PAGES, ...(isLocalMode ? ['pages/signin/index'] : [])],
  subPackages: [
    ...(OFFICER_PAGES.length ? [{ root: 'officer', pages: OFFICER_PAGES }] : []),
    ...(CONFIRM_PAGES.length ? [{ root: 'confirm', pages: CONFIRM_PAGES, independent: true }] : []),
  ],
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
