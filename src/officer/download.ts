// Opens a file the cloud returned as a temporary URL: weapp downloads it and opens it in WeChat's viewer;
// the local h5 build hands the link to the browser (a download). Pages call this, never Taro.downloadFile.
import Taro from '@tarojs/taro'

export type OpenResult = { ok: true } | { ok: false; message: string }

export async function openRemoteDocument(url: string, fileName: string): Promise<OpenResult> {
  if (SHOUHU_LOCAL_MODE) {
    const link = document.createElement('a')
    link.href = url
    link.download = fileName
    link.rel = 'noopener'
    document.body.appendChild(link)
    link.click()
    link.remove()
    return { ok: true }
  }
  try {
    const res = await Taro.downloadFile({ url })
    if (res.statusCode !== 200) return { ok: false, message: '下载失败，请稍后再试' }
    await Taro.openDocument({ filePath: res.tempFilePath, fileType: 'xlsx', showMenu: true })
    return { ok: true }
  } catch {
    return { ok: false, message: '无法打开文件，请稍后再试' }
  }
}
