// Settings → Members & invitations.

import InvitationsSection from './InvitationsSection';
import MembersSection from './MembersSection';

export default function MembersTab({ isAdmin, myId }: { isAdmin: boolean; myId: string }) {
  return (
    <>
      <MembersSection isAdmin={isAdmin} myId={myId} />
      {isAdmin ? (
        <InvitationsSection />
      ) : (
        <section className="settings-section">
          <h2>Invitations</h2>
          <p className="notice">Only admins can invite people. Ask an admin of your team for an invitation link.</p>
        </section>
      )}
    </>
  );
}
