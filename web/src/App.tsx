// Routes. Signed-out visitors see login/register/join; the first visit to a
// server without a team goes to registration. Pages are loaded on demand so
// the first page stays small.
import { lazy, Suspense, type ReactNode } from 'react';
import { Navigate, Route, Routes, useLocation } from 'react-router-dom';
import { useAuth } from './auth/AuthContext';
import Layout from './components/Layout';

const LoginPage = lazy(() => import('./pages/auth/LoginPage'));
const RegisterPage = lazy(() => import('./pages/auth/RegisterPage'));
const JoinTeamPage = lazy(() => import('./pages/auth/JoinTeamPage'));
const OnboardingPage = lazy(() => import('./pages/onboarding/OnboardingPage'));
const GetStartedPage = lazy(() => import('./pages/onboarding/GetStartedPage'));
const SearchPage = lazy(() => import('./pages/search/SearchPage'));
const TracePage = lazy(() => import('./pages/trace/TracePage'));
const ChartExplorerPage = lazy(() => import('./pages/charts/ChartExplorerPage'));
const DashboardsPage = lazy(() => import('./pages/dashboards/DashboardsPage'));
const DashboardPage = lazy(() => import('./pages/dashboards/DashboardPage'));
const SettingsPage = lazy(() => import('./pages/settings/SettingsPage'));

function RequireAuth({ children }: { children: ReactNode }) {
  const { me, loading } = useAuth();
  const location = useLocation();
  if (loading) return <div className="loading">Loading…</div>;
  if (!me) return <Navigate to={`/login?next=${encodeURIComponent(location.pathname + location.search)}`} replace />;
  return <>{children}</>;
}

export default function App() {
  return (
    <Suspense fallback={<div className="loading">Loading…</div>}>
      <Routes>
        <Route path="/login" element={<LoginPage />} />
        <Route path="/register" element={<RegisterPage />} />
        <Route path="/join-team" element={<JoinTeamPage />} />
        <Route
          path="/onboarding"
          element={
            <RequireAuth>
              <OnboardingPage />
            </RequireAuth>
          }
        />
        <Route
          element={
            <RequireAuth>
              <Layout />
            </RequireAuth>
          }
        >
          <Route path="/" element={<Navigate to="/search" replace />} />
          <Route path="/search" element={<SearchPage />} />
          <Route path="/trace/:traceId" element={<TracePage />} />
          <Route path="/chart" element={<ChartExplorerPage />} />
          <Route path="/dashboards" element={<DashboardsPage />} />
          <Route path="/dashboards/:id" element={<DashboardPage />} />
          <Route path="/get-started" element={<GetStartedPage />} />
          <Route path="/settings/*" element={<SettingsPage />} />
        </Route>
        <Route path="*" element={<Navigate to="/" replace />} />
      </Routes>
    </Suspense>
  );
}
