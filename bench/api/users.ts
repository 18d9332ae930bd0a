/** Who asks in the list bench: an admin (namespaceTransfer.admins, the audit permission) and a team member. */
import { TEAMS, teamRef, userRef } from './rows';

export const ADMIN = 'user:default/ada';
/** a member of team 7, which owns 5 of the 500 components: about 2% of the store is theirs to see */
export const MEMBER = userRef(7);

/** user u belongs to team u % TEAMS; the admin to none */
export function groupsOf(ref: string): string[] {
  const m = /^user:default\/user-(\d+)$/.exec(ref);
  return m ? [teamRef(Number(m[1]) % TEAMS)] : [];
}
