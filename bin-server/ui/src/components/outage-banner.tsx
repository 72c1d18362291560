import { useEffect, useState } from 'preact/hooks';
import {
  currentOutage,
  onAvailabilityChange,
  recoveryCount,
  reportRecovered,
  type Outage,
} from '../api/availability.js';
import { listBins } from '../api/endpoints.js';
import { Icon } from './icons.js';

/** How often the banner tries a read of the store while it is away. */
const PROBE_MS = 3000;

const wording: Record<Outage, string> = {
  store:
    'The data store is unavailable (the database unreachable, or the disk full). Retrying in the background; pages load again once it answers.',
  server:
    'The umhooks server is not answering. Retrying in the background; pages load again once it is back.',
};

/** The outage reported by the last API calls and how many have ended, kept up to date. */
export function useAvailability(): { outage: Outage | undefined; recoveries: number } {
  const read = () => ({ outage: currentOutage(), recoveries: recoveryCount() });
  const [state, setState] = useState(read);
  useEffect(() => onAvailabilityChange(() => setState(read())), []);
  return state;
}

/**
 * A notice under the top bar while the server or its store is away, which does not block the page:
 * it probes a read of the store and clears itself when one succeeds.
 */
export function OutageBanner() {
  const { outage } = useAvailability();
  useEffect(() => {
    if (!outage) return;
    let stopped = false;
    let timer: ReturnType<typeof setTimeout>;
    const probe = () => {
      timer = setTimeout(() => {
        listBins().then(
          () => {
            if (!stopped) reportRecovered();
          },
          // The failure itself is reported by the API client (it may turn `server` into `store`).
          () => {
            if (!stopped) probe();
          },
        );
      }, PROBE_MS);
    };
    probe();
    return () => {
      stopped = true;
      clearTimeout(timer);
    };
  }, [outage]);
  if (!outage) return null;
  return (
    <div class="outage-banner" role="alert" data-outage={outage}>
      <Icon name="alert" />
      <span>{wording[outage]}</span>
    </div>
  );
}
