import { useRef } from 'preact/hooks';
import { Icon } from '../../components/icons.js';
import { notify } from '../../components/toasts.js';
import { unlockAudio } from '../../lib/beep.js';
import { usePreference } from '../../lib/preference.js';
import { alertSwitch, desktopNotificationsSupported } from './arrival-alerts.js';

/**
 * The bin's alerts for new requests, both off until turned on and remembered per browser: a
 * desktop notification (permission asked only then) and a short beep.
 */
export function AlertsMenu({ binId }: { binId: string }) {
  const menu = useRef<HTMLDetailsElement>(null);
  const [desktop, setDesktop] = usePreference(alertSwitch('desktop', binId));
  const [sound, setSound] = usePreference(alertSwitch('sound', binId));

  const toggleDesktop = async (on: boolean) => {
    if (!on) return setDesktop('off');
    if (!desktopNotificationsSupported()) {
      notify.error('This browser has no desktop notifications.');
      return;
    }
    let permission = Notification.permission;
    if (permission === 'default') permission = await Notification.requestPermission();
    if (permission === 'granted') setDesktop('on');
    else {
      setDesktop('off');
      notify.error(
        'Desktop notifications are blocked for this site: allow them in the browser’s site settings, then turn them on again.',
      );
    }
  };

  // Near the right edge the list opens leftwards, so it never runs off the screen.
  const fit = () => {
    const list = menu.current?.querySelector('.alerts-list');
    if (!list || !menu.current?.open) return;
    list.classList.remove('align-end');
    if (list.getBoundingClientRect().right > document.documentElement.clientWidth)
      list.classList.add('align-end');
  };

  const on = desktop === 'on' || sound === 'on';
  return (
    <details class="alerts-menu" ref={menu} onToggle={fit}>
      <summary class="button button-small" aria-label={`Alerts: ${on ? 'on' : 'off'}`}>
        <Icon name="bell" size={14} /> Alerts{on ? ' on' : ''}
      </summary>
      <div class="alerts-list" role="group" aria-label="Alerts for new requests">
        <p class="muted small">When a request arrives in this bin (this browser only):</p>
        <label class="alerts-option">
          <input
            type="checkbox"
            checked={desktop === 'on'}
            onChange={(e) => {
              const want = e.currentTarget.checked;
              // Shown checked only once permission is granted.
              e.currentTarget.checked = desktop === 'on';
              void toggleDesktop(want);
            }}
          />
          <span>
            Desktop notification{' '}
            <span class="muted small">while this tab is in the background</span>
          </span>
        </label>
        <label class="alerts-option">
          <input
            type="checkbox"
            checked={sound === 'on'}
            onChange={(e) => {
              const next = e.currentTarget.checked;
              // Audio may only start from a click: this one unlocks it for later beeps.
              if (next) unlockAudio();
              setSound(next ? 'on' : 'off');
            }}
          />
          <span>
            Sound <span class="muted small">a short beep</span>
          </span>
        </label>
      </div>
    </details>
  );
}
