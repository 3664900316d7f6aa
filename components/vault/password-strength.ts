import { MIN_MASTER_PASSWORD_LENGTH } from '../../lib/vault/master-password';
import { msg, type Text } from '../../lib/i18n';

/**
 * A rough strength hint for a new master password: length and character variety, plus a check
 * for the most common choices. It is a nudge, not a gate (NIST SP 800-63B §5.1.1 favours length
 * and blocklists over composition rules); the only hard rule is the minimum length.
 */
export { MIN_MASTER_PASSWORD_LENGTH };
const COMMON = /^(password|passw0rd|123456|qwerty|letmein|admin|welcome|iloveyou|monkey|dragon)/i;

export type Strength = { score: 0 | 1 | 2 | 3 | 4; label: Text | undefined };

export function passwordStrength(password: string): Strength {
  if (!password) return { score: 0, label: undefined };
  if (password.length < MIN_MASTER_PASSWORD_LENGTH) {
    return { score: 0, label: msg('strengthTooShort', MIN_MASTER_PASSWORD_LENGTH) };
  }
  if (COMMON.test(password) || /^(.)\1+$/.test(password)) return { score: 1, label: msg('strengthCommon') };
  const classes = [/[a-z]/, /[A-Z]/, /[0-9]/, /[^A-Za-z0-9]/].filter((re) => re.test(password)).length;
  const score = Math.min(4, Math.floor(password.length / 8) + classes - 1) as Strength['score'];
  return [
    { score: 1, label: msg('strengthWeak') },
    { score: 1, label: msg('strengthWeak') },
    { score: 2, label: msg('strengthFair') },
    { score: 3, label: msg('strengthGood') },
    { score: 4, label: msg('strengthStrong') },
  ][Math.max(score, 1)] as Strength;
}
