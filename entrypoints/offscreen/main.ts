// Chrome-only offscreen document: the one place with a DOM where the worker can reach the clipboard.
// It answers only our own background (same extension id, no tab), to write, read or clear.
browser.runtime.onMessage.addListener((message: unknown, sender) => {
  const request = message as { to?: string; type?: string; text?: unknown };
  if (request?.to !== 'offscreen' || sender.id !== browser.runtime.id || sender.tab) return;
  const scratch = document.getElementById('scratch') as HTMLTextAreaElement;
  if (request.type === 'clipboard.write' && typeof request.text === 'string') {
    // An empty selection copies nothing: clearing writes a single space, the secret is gone either way.
    scratch.value = request.text || ' ';
    scratch.select();
    document.execCommand('copy');
    scratch.value = '';
    return Promise.resolve(true);
  }
  if (request.type === 'clipboard.read') {
    // execCommand('paste') works here with the clipboardRead permission, without focus or a gesture.
    scratch.value = '';
    scratch.focus();
    const pasted = document.execCommand('paste');
    const text = scratch.value;
    scratch.value = '';
    return Promise.resolve(pasted ? text : null);
  }
});
