// `npm start`: build the extension for Chrome and Firefox, then run the sync server in the foreground.
import { spawn } from 'node:child_process';
import { resolve } from 'node:path';
import { npx } from './run.mjs';
import { SERVER_NODE_FLAGS } from './server-flags.mjs';

await npx(['wxt', 'build']);
await npx(['wxt', 'build', '-b', 'firefox', '--mv3']);

const host = process.env.HOST ?? '127.0.0.1';
const port = process.env.PORT ?? '8787';
console.log(`
Keysmith extension built:
  Chrome/Chromium: ${resolve('.output/chrome-mv3')}
      open chrome://extensions, turn on Developer mode, "Load unpacked", choose that folder
  Firefox:         ${resolve('.output/firefox-mv3')}
      open about:debugging#/runtime/this-firefox, "Load Temporary Add-on…", choose its manifest.json
`);

// An IPv6 literal goes in brackets, or the address cannot be pasted anywhere (RFC 3986 §3.2.2).
console.log(`Starting the sync server on http://${host.includes(':') ? `[${host}]` : host}:${port} (Ctrl+C to stop)…`);
const server = spawn(process.execPath, [...SERVER_NODE_FLAGS, '--import', 'tsx', 'server/main.ts'], { stdio: 'inherit' });
for (const signal of ['SIGINT', 'SIGTERM']) process.on(signal, () => server.kill(signal));
server.on('exit', (code) => process.exit(code ?? 0));
