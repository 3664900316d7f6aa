import { existsSync } from 'node:fs';

/** Chromium from CHROMIUM_PATH or Debian's package; a clear message when there is none. */
export function chromiumPath() {
  const candidates = [process.env.CHROMIUM_PATH, '/usr/bin/chromium', '/usr/bin/chromium-browser'].filter(Boolean);
  const found = candidates.find((path) => existsSync(path));
  if (!found) {
    throw new Error(
      'Chromium not found. Install it (Debian/Ubuntu: `sudo apt-get install -y chromium`) or set CHROMIUM_PATH to a Chromium binary. ' +
        'Branded Google Chrome 137+ ignores --load-extension, so use Chromium.',
    );
  }
  return found;
}

/** Firefox from FIREFOX_PATH or Debian's firefox-esr; a clear message when there is none. */
export function firefoxPath() {
  const candidates = [process.env.FIREFOX_PATH, '/usr/bin/firefox-esr', '/usr/bin/firefox'].filter(Boolean);
  const found = candidates.find((path) => existsSync(path));
  if (!found) {
    throw new Error(
      'Firefox not found. Install it (Debian/Ubuntu: `sudo apt-get install -y firefox-esr`) or set FIREFOX_PATH to a Firefox binary.',
    );
  }
  return found;
}
