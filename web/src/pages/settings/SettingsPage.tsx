// Team settings (/settings/*): a tab bar over nested routes — API keys,
// members & invitations, connections, sources, retention, query limits, audit log.
// Tabs that need admin stay visible to everyone and explain who can use them;
// the server enforces roles anyway (its 403 messages are shown).

import { Navigate, NavLink, Route, Routes } from 'react-router-dom';
import { useAuth } from '../../auth/AuthContext';
import AuditTab from './audit/AuditTab';
import { hasRole } from './common/roles';
import ConnectionsTab from './connections/ConnectionsTab';
import ApiKeysTab from './keys/ApiKeysTab';
import MembersTab from './members/MembersTab';
import QuerySettingsTab from './query/QuerySettingsTab';
import RetentionTab from './retention/RetentionTab';
import SourcesTab from './sources/SourcesTab';
import './settings.css';

const TABS: { path: string; label: string; adminOnly?: boolean }[] = [
  { path: 'keys', label: 'API keys' },
  { path: 'members', label: 'Members' },
  { path: 'connections', label: 'Connections', adminOnly: true },
  { path: 'sources', label: 'Sources' },
  { path: 'retention', label: 'Retention', adminOnly: true },
  { path: 'query', label: 'Query limits', adminOnly: true },
  { path: 'audit', label: 'Audit log', adminOnly: true },
];

export default function SettingsPage() {
  const { me } = useAuth();
  if (!me) return null;
  const role = me.user.role;
  const isAdmin = hasRole(role, 'admin');
  return (
    <div className="settings-page">
      <header className="settings-header">
        <h1>Team settings</h1>
        <span className="muted">
          {me.team.name} · you are <span className="role">{role}</span>
        </span>
      </header>
      <nav className="settings-tabs" aria-label="Settings sections">
        {TABS.map((t) => (
          <NavLink key={t.path} to={t.path} className={({ isActive }) => (isActive ? 'tab active' : 'tab')}>
            {t.label}
            {t.adminOnly && !isAdmin && <span className="tab-lock" title="Admins only"> · admin</span>}
          </NavLink>
        ))}
      </nav>
      <div className="settings-body">
        <Routes>
          <Route index element={<Navigate to="keys" replace />} />
          <Route path="keys" element={<ApiKeysTab isAdmin={isAdmin} />} />
          <Route path="members" element={<MembersTab isAdmin={isAdmin} myId={me.user.id} />} />
          <Route path="connections" element={<ConnectionsTab isAdmin={isAdmin} />} />
          <Route path="sources" element={<SourcesTab canEdit={hasRole(role, 'editor')} isAdmin={isAdmin} />} />
          <Route path="retention" element={<RetentionTab isAdmin={isAdmin} />} />
          <Route path="query" element={<QuerySettingsTab isAdmin={isAdmin} />} />
          <Route path="audit" element={<AuditTab isAdmin={isAdmin} />} />
          <Route path="*" element={<Navigate to="keys" replace />} />
        </Routes>
      </div>
    </div>
  );
}
