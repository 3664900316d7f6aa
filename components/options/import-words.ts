import type { MessageKey } from '../../lib/i18n';
import type { ImportFormat, NoticeKind } from '../../lib/import';

/** Each format's name in the format list and the preview. */
export const FORMAT_LABELS: Record<ImportFormat, MessageKey> = {
  bitwarden: 'formatBitwarden',
  onepux: 'formatOnepux',
  'onepassword-csv': 'formatOnepasswordCsv',
  doppler: 'formatDoppler',
  infisical: 'formatInfisical',
  phase: 'formatPhase',
  dotenv: 'formatDotenv',
};

/** What the preview says happens to each kind of entry not imported as such. */
export const NOTICE_LABELS: Record<NoticeKind, MessageKey> = {
  attachment: 'noticeAttachment',
  passkey: 'noticePasskey',
  totp: 'noticeTotp',
  identity: 'noticeIdentity',
  archived: 'noticeArchived',
  personal: 'noticePersonal',
  empty: 'noticeEmpty',
  other: 'noticeOther',
};
