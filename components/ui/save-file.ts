/**
 * Saves `text` as a file through a blob URL, so the extension needs no `downloads` permission.
 * Shared by DownloadButton (PEM files) and the options page (.env, backups).
 */
export function saveFile(text: string, filename: string, type: string): void {
  const url = URL.createObjectURL(new Blob([text], { type }));
  const link = document.createElement('a');
  link.href = url;
  link.download = filename;
  link.click();
  // The browser has read the blob once the download starts; don't keep secrets in memory longer.
  setTimeout(() => URL.revokeObjectURL(url), 10_000);
}
