import { sql, type Kysely } from "kysely";

/*
 * What the lockdown and the security checkup know about a person beyond their profile, in a
 * table of its own (one row per person, made when first needed): the person's row is read by
 * the session check on every request and stays as it is.
 *
 * - `password_reset_required_at`: set by a lockdown ("This wasn't me"); sign-in with the old
 *   password is refused until a new one is set.
 * - `previous_email` / `email_changed_at`: the address before the last confirmed change, so a
 *   lockdown from a link mailed to that address can restore it within 7 days.
 * - `email_verified_at`: when a link mailed to the current address was last opened (invitation,
 *   email change, password reset, lockdown).
 *
 * People whose address was already proven by a link get `email_verified_at` from that event.
 */

// eslint-disable-next-line @typescript-eslint/no-explicit-any -- migrations must not depend on the evolving Database type
type AnyDb = Kysely<any>;

export async function up(db: AnyDb): Promise<void> {
  await db.schema
    .createTable("user_security_states")
    .addColumn("user_id", "text", (c) => c.primaryKey().references("users.id").onDelete("cascade"))
    .addColumn("password_reset_required_at", "bigint")
    .addColumn("previous_email", "text")
    .addColumn("email_changed_at", "bigint")
    .addColumn("email_verified_at", "bigint")
    .execute();
  await sql`
    insert into user_security_states (user_id, email_verified_at)
    select e.user_id, max(e.at) from security_events e
    join users u on u.id = e.user_id
    where e.type in ('invitation_accepted', 'email_change_confirmed', 'authn_password_reset_complete')
      and e.result = 'success'
    group by e.user_id
  `.execute(db);
}

export async function down(db: AnyDb): Promise<void> {
  await db.schema.dropTable("user_security_states").ifExists().execute();
}
