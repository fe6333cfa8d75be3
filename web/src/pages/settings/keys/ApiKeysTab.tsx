// Settings → API keys: the team's ingestion keys (admins) and your own
// personal access keys.

import IngestionKeysSection from './IngestionKeysSection';
import PersonalKeysSection from './PersonalKeysSection';

export default function ApiKeysTab({ isAdmin }: { isAdmin: boolean }) {
  return (
    <>
      <IngestionKeysSection isAdmin={isAdmin} />
      <PersonalKeysSection />
    </>
  );
}
