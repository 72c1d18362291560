import { useEffect, useRef, useState } from 'preact/hooks';
import type { RequestSummaryJson } from '../../api/types.js';
import { beep } from '../../lib/beep.js';
import { setUnseenCount } from '../../lib/page-title.js';
import { preference, type Preference } from '../../lib/preference.js';
import { summarizeRecognition } from '../../lib/recognition.js';

type Switch = 'on' | 'off';
const SWITCH = ['on', 'off'] as const;

// Per browser and per bin, off until turned on: one Preference per bin and kind, made once.
const switches = new Map<string, Preference<Switch>>();
export function alertSwitch(kind: 'desktop' | 'sound', binId: string): Preference<Switch> {
  const key = `umhooks.alerts.${kind}.${binId}`;
  let pref = switches.get(key);
  if (!pref) {
    pref = preference<Switch>(key, SWITCH, 'off');
    switches.set(key, pref);
  }
  return pref;
}

export const desktopNotificationsSupported = () => typeof Notification === 'function';

/** What a notification says about the requests that arrived (newest last). */
function describe(
  binName: string,
  arrived: readonly RequestSummaryJson[],
): {
  title: string;
  body: string;
} {
  const newest = arrived[arrived.length - 1]!;
  const event = summarizeRecognition(newest.recognition)?.label;
  const line = `${newest.method} ${newest.url}${event ? ` · ${event}` : ''}`;
  return arrived.length === 1
    ? { title: `New request in ${binName}`, body: line }
    : { title: `${arrived.length} new requests in ${binName}`, body: `Newest: ${line}` };
}

/**
 * Requests that arrive while nobody looks at them: the tab is hidden, the list is scrolled away
 * from its top (where new rows land), or not shown at all. Their count leads the tab's title and the "N new" pill, and
 * drops to zero once the tab is shown with the list at its top. Arrivals also beep and raise a
 * desktop notification (tab hidden or window unfocused) when those are turned on for the bin.
 */
export function useArrivalAlerts(
  binId: string,
  binName: string,
  /** The list is not on screen (a phone showing a request instead). */
  listHidden: boolean,
  onOpen: (id: string) => void,
) {
  const [unseen, setUnseen] = useState(0);
  const [atTop, setAtTop] = useState(true);
  const [visible, setVisible] = useState(!document.hidden);
  const looking = visible && atTop && !listHidden;
  const state = useRef({ looking, binName, onOpen });
  state.current = { looking, binName, onOpen };

  useEffect(() => {
    const onVisibility = () => setVisible(!document.hidden);
    document.addEventListener('visibilitychange', onVisibility);
    return () => document.removeEventListener('visibilitychange', onVisibility);
  }, []);
  useEffect(() => {
    if (looking) setUnseen(0);
  }, [looking]);
  useEffect(() => setUnseenCount(unseen), [unseen]);
  useEffect(() => () => setUnseenCount(0), []);

  /** New requests were added to the top of the list (oldest first). */
  const arrived = (requests: readonly RequestSummaryJson[]) => {
    if (requests.length === 0) return;
    const { looking: seen, binName: name, onOpen: open } = state.current;
    if (!seen) setUnseen((n) => n + requests.length);
    if (alertSwitch('sound', binId).get() === 'on') beep();
    if (
      alertSwitch('desktop', binId).get() === 'on' &&
      desktopNotificationsSupported() &&
      Notification.permission === 'granted' &&
      (document.hidden || !document.hasFocus())
    ) {
      const { title, body } = describe(name, requests);
      const newest = requests[requests.length - 1]!;
      // One notification per bin at a time: a newer one replaces it (same tag).
      const shown = new Notification(title, { body, tag: `umhooks-bin-${binId}` });
      shown.onclick = () => {
        window.focus();
        open(newest.id);
        shown.close();
      };
    }
  };

  return { unseen, atTop, setAtTop, arrived };
}
