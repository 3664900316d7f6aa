/**
 * Saves `text` as a file through a blob URL, so the extension needs no `downloads` permission.
 * (components/ui/DownloadButton does the same behind a button, with a fixed PEM type.)
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
