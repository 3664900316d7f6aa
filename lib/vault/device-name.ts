// The name a device gives itself until the user sets one (Settings): its browser and system, read
// from the user agent, so two devices of one person differ in the history without any setup.

/** When the user agent says nothing recognisable (and in Node). */
export const DEFAULT_DEVICE_NAME = 'Keysmith';

const BROWSERS: [RegExp, string][] = [
  [/Edg\//, 'Edge'],
  [/OPR\//, 'Opera'],
  [/Firefox\//, 'Firefox'],
  [/Chromium\//, 'Chromium'],
  [/Chrome\//, 'Chrome'],
  [/Safari\//, 'Safari'],
];
const SYSTEMS: [RegExp, string][] = [
  [/Android/, 'Android'],
  [/CrOS/, 'ChromeOS'],
  [/Windows/, 'Windows'],
  [/iPhone|iPad/, 'iOS'],
  [/Mac OS X|Macintosh/, 'macOS'],
  [/Linux/, 'Linux'],
];

/** "Firefox on Linux", "Chrome on Windows"; Keysmith when the user agent is unknown. */
export function defaultDeviceName(userAgent: string | undefined): string {
  if (!userAgent) return DEFAULT_DEVICE_NAME;
  const browser = BROWSERS.find(([test]) => test.test(userAgent))?.[1];
  const system = SYSTEMS.find(([test]) => test.test(userAgent))?.[1];
  if (browser && system) return `${browser} on ${system}`;
  return browser ?? system ?? DEFAULT_DEVICE_NAME;
}
