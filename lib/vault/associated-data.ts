// The associated data that binds each ciphertext to its record and field (`keysmith/v1/<kind>/<id>/<field>`).
import { associatedData } from './cipher';

export const ACCOUNT_AD = (accountId: string) => associatedData('account', accountId, 'vault-key');
export const SETTINGS_AD = (accountId: string) => associatedData('settings', accountId, 'settings');
export const ORG_NAME_AD = (orgId: string) => associatedData('org', orgId, 'name');
export const SAFE_KEY_AD = (safeId: string) => associatedData('safe', safeId, 'key');
export const SAFE_NAME_AD = (safeId: string) => associatedData('safe', safeId, 'name');
export const ENV_NAME_AD = (envId: string) => associatedData('environment', envId, 'name');
export const INDEX_AD = (envId: string) => associatedData('index', envId, 'entries');
export const META_AD = (id: string) => associatedData('secret', id, 'meta');
export const VALUE_AD = (id: string) => associatedData('secret', id, 'value');
/** Never written: history came after the binding; only for a record that somehow has both (then it fails to open). */
export const HISTORY_AD = (id: string) => associatedData('secret', id, 'history');
export const OVERRIDE_AD = (id: string) => associatedData('override', id, 'value');
