-- The index of signed-in browsers takes the name the pages and the API give it: sessions.
alter table devices rename to sessions;
alter table sessions rename column device_id to session_id;
drop index devices_user;
drop index devices_last_seen;
create index sessions_user on sessions (user_id);
create index sessions_last_seen on sessions (last_seen_at);
