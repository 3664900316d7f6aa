// Chrome-only offscreen document: the one place with a DOM where the worker can reach the clipboard.
// It answers only our own background (same extension id, no tab) and only to clear.
browser.runtime.onMessage.addListener((message: unknown, sender) => {
  const request = message as { target?: string; type?: string };
  if (request?.target !== 'offscreen' || sender.id !== browser.runtime.id || sender.tab) return;
  if (request.type === 'clipboard.clear') {
    const scratch = document.getElementById('scratch') as HTMLTextAreaElement;
    // An empty selection copies nothing, so write a single space: the secret is gone either way.
    scratch.value = ' ';
    scratch.select();
    document.execCommand('copy');
    return Promise.resolve(true);
  }
});
