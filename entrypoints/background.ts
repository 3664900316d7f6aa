// The background owns nothing yet: the generator and encrypt tools run in the popup.
// Later it holds the unlocked vault keys and routes the typed messages of lib/messages.ts.
export default defineBackground(() => {});
