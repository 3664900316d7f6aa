/** Saves `text` as a file through a blob URL: no `downloads` permission needed. */
export function DownloadButton({ text, filename, what }: { text: string; filename: string; what: string }) {
  function download() {
    const url = URL.createObjectURL(new Blob([text], { type: 'application/x-pem-file' }));
    const link = document.createElement('a');
    link.href = url;
    link.download = filename;
    link.click();
    setTimeout(() => URL.revokeObjectURL(url), 10_000);
  }
  return (
    <button type="button" onClick={download} aria-label={`Download ${what}`} disabled={!text}>
      Download
    </button>
  );
}
