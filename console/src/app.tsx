import { AppShell, Badge, Button, Center, Group, Loader, NavLink, Text, Title } from '@mantine/core';
import { useQueryClient } from '@tanstack/react-query';
import { lazy, Suspense, useCallback, useState } from 'react';
import { Navigate, NavLink as RouterLink, Route, Routes, useLocation } from 'react-router';
import type { DepositumClient, NetworkInfo } from '../../src/sdk/browser.js';
import { LiveProvider, useLive } from './live.js';
import { SessionProvider, useSession, type Me } from './session.js';
import { SignIn } from './sign-in.js';

// Each screen is its own chunk, loaded when first opened: a treasurer never downloads the reserves charts.
const TreasurerScreen = lazy(() => import('./screens/treasurer.js').then((m) => ({ default: m.TreasurerScreen })));
const OperatorScreen = lazy(() => import('./screens/operator.js').then((m) => ({ default: m.OperatorScreen })));
const ComplianceScreen = lazy(() => import('./screens/compliance.js').then((m) => ({ default: m.ComplianceScreen })));
const ReservesScreen = lazy(() => import('./screens/reserves.js').then((m) => ({ default: m.ReservesScreen })));
const TradeScreen = lazy(() => import('./screens/trade.js').then((m) => ({ default: m.TradeScreen })));
const ExplorerScreen = lazy(() => import('./screens/explorer.js').then((m) => ({ default: m.ExplorerScreen })));

/** The screens, and the roles each is for; the API decides what each shows and allows, whoever opens it. */
const SCREENS = [
  { path: 'treasurer', label: 'Treasurer', roles: ['client', 'signatory', 'issuer'], element: <TreasurerScreen /> },
  { path: 'operator', label: 'Operator and issuer', roles: ['operator', 'issuer', 'auditor'], element: <OperatorScreen /> },
  { path: 'compliance', label: 'Compliance', roles: ['compliance', 'operator', 'auditor'], element: <ComplianceScreen /> },
  { path: 'reserves', label: 'Reserves', roles: ['reserve_manager', 'issuer', 'operator', 'auditor'], element: <ReservesScreen /> },
  { path: 'trade', label: 'Trade', roles: ['client', 'operator', 'auditor', 'reader'], element: <TradeScreen /> },
  { path: 'explorer', label: 'Explorer', roles: null, element: <ExplorerScreen /> },
] as const;

const screensFor = (me: Me) => SCREENS.filter((screen) => screen.roles === null || screen.roles.some((role) => me.roles.includes(role)));

export function App() {
  const [signedIn, setSignedIn] = useState<{ client: DepositumClient; me: Me; network: NetworkInfo } | null>(null);
  const queries = useQueryClient();
  const signOut = useCallback(() => {
    queries.clear();
    setSignedIn(null);
  }, [queries]);
  if (signedIn === null) return <SignIn onSignedIn={setSignedIn} />;
  return (
    <SessionProvider signedIn={signedIn} onSignOut={signOut}>
      <LiveProvider>
        <Shell />
      </LiveProvider>
    </SessionProvider>
  );
}

function LiveBadge() {
  const live = useLive();
  const { network } = useSession();
  const color = live.state === 'live' ? 'green' : live.state === 'connecting' ? 'gray' : 'orange';
  return <Badge color={color} variant="dot" aria-live="polite">{live.state} · block {live.head?.height ?? network.height}</Badge>;
}

function Shell() {
  const { me, network, signOut } = useSession();
  const location = useLocation();
  const screens = screensFor(me);
  return (
    <AppShell header={{ height: 56 }} navbar={{ width: 220, breakpoint: 'sm' }} padding="md">
      <AppShell.Header>
        <Group h="100%" px="md" justify="space-between">
          <Group><Title order={1} size="h4">Depositum</Title><Text size="sm" c="dimmed">{network.network}</Text><LiveBadge /></Group>
          <Group>
            <Text size="sm" data-testid="signed-in-as">{me.legalName} ({me.id}) · {me.roles.join(', ')}</Text>
            <Button variant="default" size="xs" onClick={signOut}>Sign out</Button>
          </Group>
        </Group>
      </AppShell.Header>
      <AppShell.Navbar p="xs" component="nav" aria-label="Screens">
        {screens.map((screen) => (
          <NavLink key={screen.path} component={RouterLink} to={`/${screen.path}`} label={screen.label} active={location.pathname.startsWith(`/${screen.path}`)} />
        ))}
      </AppShell.Navbar>
      <AppShell.Main component="main">
        <Suspense fallback={<Center mih={200}><Loader aria-label="Loading the screen" /></Center>}>
          <Routes>
            {screens.map((screen) => <Route key={screen.path} path={`/${screen.path}/*`} element={screen.element} />)}
            <Route path="*" element={<Navigate to={`/${screens[0]?.path ?? 'explorer'}`} replace />} />
          </Routes>
        </Suspense>
      </AppShell.Main>
    </AppShell>
  );
}
