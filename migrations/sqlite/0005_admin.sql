-- The admin console: a role on the account, and accounts an admin has disabled.

-- 'admin' opens the console (with two-factor on); granted from the command line or by an admin.
alter table users add column role text not null default 'user' check (role in ('user', 'admin'));
-- Set while an admin has disabled the account: it cannot sign in, and its sessions were ended.
alter table users add column disabled_at integer;

-- The console lists admins without reading every account, and the event log filters by actor
-- (newest first). Username and address prefix searches use their unique indexes.
create index users_admins on users (username) where role = 'admin';
create index security_events_actor on security_events (actor_id, event_id);
