// Web pages for the in-page tests, served over real HTTP on two origins of one port
// (http://127.0.0.1:<port> and http://localhost:<port>), plus a name mapped to it that is not a
// secure context (http://insecure.test:<port>, through Chromium's host resolver rules).
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { FOCUS_ELSEWHERE, HONEYPOTS, OVERLAID, PAINTED, RETARGETED, SUBMITTERS } from './hostile-pages';

export const INSECURE_HOST = 'insecure.test';

/** Every page logs the input and change events its fields receive into `window.events`. */
const LOGGER = `<script>
  window.events = [];
  for (const type of ['input', 'change']) document.addEventListener(type, (e) => window.events.push(type + ':' + (e.target.name || e.target.id)), true);
</script>`;

const page = (body: string) =>
  `<!doctype html><html><head><meta charset="utf-8"><title>site</title></head><body>${body}${LOGGER}</body></html>`;

/** The pages, by path. `{other}` is replaced by the other origin (localhost) of the same port. */
const PAGES: Record<string, string> = {
  '/login': page(`<form action="/session" method="post"><label>Token <input name="token"></label><button>Sign in</button></form>`),
  // Six ways to hide a field, and nothing visible: no fill may happen.
  '/hidden': page(`
    <input name="display" style="display:none">
    <input name="visibility" style="visibility:hidden">
    <div style="opacity:0.3"><input name="faded"></div>
    <input name="offscreen" style="position:absolute;left:-9999px;top:0">
    <input name="tiny" style="width:0;height:0;border:0;padding:0">
    <div style="position:relative"><input name="covered"><div style="position:absolute;inset:0;background:#fff"></div></div>`),
  // Covers that hit testing looks through, and a CSS filter: only the browser's own visibility answer sees them.
  '/overlay': page(
    `<div style="position:relative;width:200px"><input name="under"><div style="position:absolute;inset:0;background:#fff;pointer-events:none"></div></div>`,
  ),
  '/filtered': page(`<div style="filter:opacity(0)"><input name="filtered"></div>`),
  // The page focuses an invisible field itself (as a clickjacking page would); a visible one is beside it.
  '/focus-trap': page(`
    <input name="trap" style="opacity:0;position:absolute;top:0;left:0">
    <input name="visible" style="margin-top:60px">
    <script>document.querySelector('[name=trap]').focus();</script>`),
  // The secret's site with a third-party iframe, which the user focused; nothing visible in the top frame.
  '/framed-third-party': page(`<iframe name="third" src="{other}/frame-input" style="width:300px;height:80px"></iframe>`),
  '/framed-same-origin': page(`<p>top</p><iframe name="own" src="/frame-input" style="width:300px;height:80px"></iframe>`),
  '/frame-input': page(`<input name="framed" autofocus>`),
  // The form posts home, but its submit button sends it elsewhere; a field named "elements" tries to hide that.
  '/formaction': page(
    `<form action="/session" method="post"><input name="token"><input type="hidden" name="elements"><button formaction="{other}/collect">Go</button></form>`,
  ),
  '/form-elsewhere': page(
    `<form action="{other}/collect" method="post"><input name="token"><input type="hidden" name="action" value="/session"></form>`,
  ),
  // Every kind of editable field the right-click menu writes into.
  '/editor': page(`
    <input name="subject" value="">
    <textarea name="notes"></textarea>
    <div id="body" contenteditable="true" style="border:1px solid;min-height:20px"></div>
    <iframe name="inner" src="/frame-textarea" style="width:300px;height:80px"></iframe>`),
  '/frame-textarea': page(`<textarea name="framed"></textarea>`),
  // Pages that try to get a secret where the user did not put it (hostile-pages.ts).
  ...Object.fromEntries(
    Object.entries({ ...HONEYPOTS, ...PAINTED, ...FOCUS_ELSEWHERE, ...SUBMITTERS }).map(([path, body]) => [path, page(body)]),
  ),
  '/overlaid': page(OVERLAID),
  '/retargeted': page(RETARGETED),
  '/reading': page(`<p id="message"></p>`),
  // A page that keeps its own hidden field focused and selected, hoping a shortcut encrypts its text.
  '/selection-trap': page(`<textarea name="visible">mine</textarea>
    <textarea name="hidden" style="opacity:0;position:absolute;top:0;left:0">attacker text</textarea>
    <script>setInterval(() => { const h = document.querySelector('[name=hidden]'); h.focus(); h.select(); }, 20);</script>`),
  // Synthetic events from the page: no handler in Keysmith listens to a page.
  '/synthetic': page(`<input name="token" autofocus>
    <script>
      setInterval(() => {
        const f = document.querySelector('[name=token]');
        f.dispatchEvent(new MouseEvent('click', { bubbles: true }));
        for (const key of ['Enter', 'K', 'F']) f.dispatchEvent(new KeyboardEvent('keydown', { key, bubbles: true, ctrlKey: true, shiftKey: true }));
      }, 50);
    </script>`),
};

export interface Sites {
  port: number;
  /** http://127.0.0.1:<port>: the secret's site in most tests. */
  site: string;
  /** http://localhost:<port>: another origin on the same server. */
  other: string;
  insecure: string;
  close(): Promise<void>;
}

export async function serveSites(): Promise<Sites> {
  let port = 0;
  const server: Server = createServer((req, res) => {
    const html = PAGES[new URL(req.url ?? '/', 'http://x').pathname];
    res.writeHead(html ? 200 : 404, { 'content-type': 'text/html; charset=utf-8' });
    res.end(html?.replaceAll('{other}', `http://localhost:${port}`) ?? 'not found');
  });
  await new Promise<void>((done) => server.listen(0, '127.0.0.1', done));
  port = (server.address() as AddressInfo).port;
  return {
    port,
    site: `http://127.0.0.1:${port}`,
    other: `http://localhost:${port}`,
    insecure: `http://${INSECURE_HOST}:${port}`,
    close: () => {
      server.closeAllConnections(); // the browser's keep-alive connections would hold close() open
      return new Promise((done) => server.close(() => done()));
    },
  };
}
