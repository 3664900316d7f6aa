// The e2e fixture and `npm test` find Chromium the same way.
export { chromiumPath } from '../../scripts/chromium.mjs';
