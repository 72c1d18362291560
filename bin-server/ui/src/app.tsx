import { useEffect } from 'preact/hooks';
import { useInfo } from './api/use-shared.js';
import { EmptyState } from './components/empty-state.js';
import { OutageBanner, useAvailability } from './components/outage-banner.js';
import { Toasts } from './components/toasts.js';
import { BinPage } from './pages/bins/bin-page.js';
import { BinsPage } from './pages/bins/bins-page.js';
import { ComparePage } from './pages/compare/compare-page.js';
import { EventsPage } from './pages/events/events-page.js';
import { WebhookPage } from './pages/webhooks/webhook-page.js';
import { WebhooksPage } from './pages/webhooks/webhooks-page.js';
import { setPageTitle } from './lib/page-title.js';
import { usePreference } from './lib/preference.js';
import { THEMES, themePreference, type Theme } from './lib/theme.js';
import { href, useRoute, type Route } from './router.js';

function Page({ route }: { route: Route }) {
  switch (route.page) {
    case 'bins':
      return <BinsPage />;
    case 'bin':
      return (
        <BinPage
          key={route.binId}
          binId={route.binId}
          requestId={route.requestId}
          routeFilters={route.filters}
        />
      );
    case 'webhooks':
      return <WebhooksPage deliveries={route.deliveries} />;
    case 'webhook':
      return <WebhookPage webhookId={route.webhookId} deliveries={route.deliveries} />;
    case 'compare':
      return <ComparePage left={route.left} right={route.right} />;
    case 'events':
      return <EventsPage eventId={route.eventId} />;
    case 'not-found':
      return (
        <div class="page">
          <EmptyState icon="search" title="Nothing here">
            <a href={href.bins()}>Go to the bins</a>
          </EmptyState>
        </div>
      );
  }
}

const titles: Record<Route['page'], string> = {
  bins: 'Bins',
  bin: 'Bin',
  webhooks: 'Webhooks',
  webhook: 'Webhook',
  events: 'Events',
  compare: 'Compare',
  'not-found': 'Not found',
};

const themeLabels: Record<Theme, string> = { system: 'System', light: 'Light', dark: 'Dark' };

function ThemeSelect() {
  const [theme, setTheme] = usePreference(themePreference);
  return (
    <label class="theme-select">
      <span class="visually-hidden">Theme</span>
      <select value={theme} onChange={(e) => setTheme(e.currentTarget.value as Theme)}>
        {THEMES.map((t) => (
          <option key={t} value={t}>
            {themeLabels[t]}
          </option>
        ))}
      </select>
    </label>
  );
}

export function App() {
  const route = useRoute();
  const { data: info } = useInfo();
  // Remounted when an outage ends, so the page loads again what it could not while it lasted.
  const { recoveries } = useAvailability();
  const section =
    route.page === 'bin' || route.page === 'compare'
      ? 'bins'
      : route.page === 'webhook'
        ? 'webhooks'
        : route.page;
  useEffect(() => {
    setPageTitle(`${titles[route.page]} · umhooks`);
  }, [route.page]);
  const nav = [
    { id: 'bins', label: 'Bins', href: href.bins() },
    { id: 'webhooks', label: 'Webhooks', href: href.webhooks() },
    { id: 'events', label: 'Events', href: href.events() },
  ];
  return (
    <>
      <a class="skip-link" href="#main">
        Skip to content
      </a>
      <header class="topbar">
        <a class="brand" href={href.bins()} aria-label="umhooks home">
          <span class="brand-mark" aria-hidden="true" />
          <span class="brand-name">umhooks</span>
        </a>
        <nav class="topnav" aria-label="Main">
          {nav.map((item) => (
            <a
              key={item.id}
              href={item.href}
              class="topnav-link"
              aria-current={section === item.id ? 'page' : undefined}
            >
              {item.label}
            </a>
          ))}
        </nav>
        <div class="topbar-end">
          {info && (
            <span class="server-chip" title={`Storage: ${info.store}`}>
              v{info.version} · {info.store}
            </span>
          )}
          <ThemeSelect />
          <a class="topnav-link" href="/api/openapi.json" target="_blank" rel="noopener noreferrer">
            API
          </a>
        </div>
      </header>
      <main id="main" tabIndex={-1}>
        <Page key={recoveries} route={route} />
      </main>
      <OutageBanner />
      <Toasts />
    </>
  );
}
