/**
 * The shortest master password a new vault or a change of password accepts. Length is what
 * matters most against guessing (NIST SP 800-63B §5.1.1). Unlock accepts any length, so a vault
 * made before this rule still opens.
 */
export const MIN_MASTER_PASSWORD_LENGTH = 12;
