import { useEffect, useState } from 'react';
import { Section } from './Section';
import { t } from '../ui/i18n';

interface Shortcut {
  name: string;
  description: string;
  shortcut: string;
}

/** The keyboard shortcuts as the browser has them now (the user may have changed them there). */
export function ShortcutsSection() {
  const [shortcuts, setShortcuts] = useState<Shortcut[]>([]);
  useEffect(() => {
    void browser.commands.getAll().then((all) =>
      setShortcuts(
        all.map((c) => ({
          name: c.name ?? '',
          // The action's own command has no description in Chromium's answer.
          description: c.name === '_execute_action' || !c.description ? t('cmdOpen') : c.description,
          shortcut: c.shortcut ?? '',
        })),
      ),
    );
  }, []);
  const chromium = import.meta.env.BROWSER !== 'firefox';

  return (
    <Section title={t('shortcutsTitle')}>
      <table className="shortcuts">
        <tbody>
          {shortcuts.map((s) => (
            <tr key={s.name}>
              <td>{s.description}</td>
              <td>
                <kbd>{s.shortcut || t('shortcutNotSet')}</kbd>
              </td>
            </tr>
          ))}
        </tbody>
      </table>
      <p className="field-hint">{chromium ? t('shortcutsHintChromium') : t('shortcutsHintFirefox')}</p>
      {chromium && (
        <button type="button" onClick={() => void browser.tabs.create({ url: 'chrome://extensions/shortcuts' })}>
          {t('shortcutsChange')}
        </button>
      )}
    </Section>
  );
}
