import { saveFile } from './save-file';
import { t } from './i18n';

/** A button that saves `text` (a PEM key) as `filename`. */
export function DownloadButton({ text, filename, what }: { text: string; filename: string; what: string }) {
  return (
    <button
      type="button"
      onClick={() => saveFile(text, filename, 'application/x-pem-file')}
      aria-label={t('downloadWhat', what)}
      disabled={!text}
    >
      {t('download')}
    </button>
  );
}
