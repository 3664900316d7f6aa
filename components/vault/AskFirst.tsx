import type { FillWarning } from '../../lib/autofill/types';
import type { SearchHit } from '../../lib/vault/types';
import { t } from '../ui/i18n';

export function warningText(w: FillWarning): string {
  if (w.kind === 'protected') return t('fillWarnProtected', w.envName);
  if (w.kind === 'insecure') return t('fillWarnInsecure', w.origin);
  if (w.kind === 'other-site') return t('fillWarnOtherSite', w.origin);
  return t('fillWarnFormElsewhere', w.origin);
}

/** One secret offered for the page: its key, where it lives (a protected environment in red), and the action. */
export function PickRow({ hit, label, action, onPick }: { hit: SearchHit; label: string; action: string; onPick: () => void }) {
  return (
    <li className="row site-row">
      <span className="mono key">{hit.key}</span>
      <span className={hit.protected ? 'muted where protected' : 'muted where'}>
        {hit.safeName} · {hit.envName}
      </span>
      <button type="button" onClick={onPick} aria-label={label}>
        {action}
      </button>
    </li>
  );
}

/**
 * What the user must accept before a secret goes into the page, asked here, in Keysmith's own UI,
 * where the page can neither see nor click: a protected environment's name stands out in red.
 */
export function AskFirst({
  title,
  warnings,
  confirm,
  onConfirm,
  onCancel,
}: {
  title: string;
  warnings: FillWarning[];
  confirm: string;
  onConfirm: () => void;
  onCancel: () => void;
}) {
  return (
    <div role="alertdialog" aria-label={title} className="fill-confirm">
      <p>{title}</p>
      <ul>
        {warnings.map((w) => (
          <li key={JSON.stringify(w)} className={w.kind === 'protected' ? 'badge-protected' : undefined}>
            {warningText(w)}
          </li>
        ))}
      </ul>
      <div className="row">
        <button type="button" onClick={onConfirm}>
          {confirm}
        </button>
        <button type="button" onClick={onCancel}>
          {t('cancel')}
        </button>
      </div>
    </div>
  );
}
