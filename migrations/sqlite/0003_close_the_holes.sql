-- Closing the holes found in the first release (see the README's security section):
--   * ids are AUTOINCREMENT, so a deleted account's id is never handed to a new one, and a
--     browser is bound to its pending registration by a random flow token, never by an id;
--   * per-account sign-in state lives on the account row and dies with it; the delay and the
--     proof of work answer to the identifier as typed and the client (sign_in_throttle);
--   * one emailed-code table with a purpose, minted by the flow (the mail worker only sends);
--   * refused requests are counted per hour (refusals), not logged one row each, and the security
--     log has a retention cutoff that the sweep alone moves;
--   * every table that grows with traffic has the index its sweep needs.
-- Pending registrations and signed-in devices are transient: they are dropped, so people who
-- were half-way through registering start again, and everybody signs in again.
-- The final schema is the one in migrations/postgres (tests/it/schema.rs compares them).

drop table email_outbox;
drop table email_verifications;
drop table user_sessions;
drop table login_failures;

create table users_v3 (
    user_id           integer primary key autoincrement,
    -- Canonical (lower-cased) on the way in; the checks make uniqueness case-insensitive here too.
    username          text    not null unique check (username = lower(username)),
    email             text    not null unique check (email = lower(email)),
    -- argon2id PHC string; it records its own parameters, so they can be raised later.
    password_hash     text    not null,
    created_at        integer not null,
    -- Null until the owner proves the address with the emailed code; such an account cannot sign in.
    verified_at       integer,
    last_login_at     integer,
    previous_login_at integer,
    -- Consecutive evaluated sign-in failures of the account, over every spelling and client.
    failed_sign_ins   integer not null default 0,
    -- Set when failed_sign_ins reaches the cap; the owner is mailed a link that lifts it.
    locked_at         integer,
    -- Keyed hash of the single-use unlock link's token, and when the link stops working.
    unlock_token_hash blob    unique,
    unlock_expires_at integer
) strict;

insert into users_v3 (user_id, username, email, password_hash, created_at, verified_at, last_login_at,
                      previous_login_at)
select user_id, username, email, password_hash, created_at, verified_at, last_login_at, previous_login_at
from users
where verified_at is not null;

drop table users;
alter table users_v3 rename to users;

-- The sweep finds registrations that were never verified without reading every account.
create index users_unverified on users (created_at) where verified_at is null;

-- One row per flow that proves an address with an emailed 6-digit code. A flow without a user
-- is a decoy: the address already has an account, so its owner is told instead, while the
-- browser sees exactly what a new registration sees.
create table email_codes (
    code_id               integer primary key autoincrement,
    -- Random; the browser's server-side session holds it. Never reused, never derived from an id.
    flow_token            text    not null unique,
    purpose               text    not null check (purpose in ('registration', 'recovery', 'email_change')),
    user_id               integer references users (user_id) on delete cascade,
    email                 text    not null,
    -- Keyed hash of the current code, bound to the purpose and the flow; null once used.
    code_hash             blob,
    -- When the current code's mail reached the mail server; its lifetime counts from then.
    code_sent_at          integer,
    code_expires_at       integer,
    -- Wrong guesses against the current code, and over the whole flow (a new code keeps those).
    code_failed_attempts  integer not null default 0,
    total_failed_attempts integer not null default 0,
    codes_issued          integer not null default 1,
    -- The resend cooldown counts from here.
    last_requested_at     integer not null,
    created_at            integer not null,
    -- When the right code was entered.
    verified_at           integer,
    -- When the flow was done (for recovery: once the new password is set).
    finished_at           integer
) strict;

create index email_codes_user on email_codes (user_id);
create index email_codes_created on email_codes (created_at);
create index email_codes_finished on email_codes (finished_at);

-- Transactional outbox: a row is written in the same transaction as what it tells about, so a
-- mail server that is down loses nothing. Workers claim rows with a lease, so each mail is sent
-- by one instance, and a row claimed by an instance that died is claimed again once the lease ends.
create table email_outbox (
    outbox_id       integer primary key autoincrement,
    kind            text    not null check (kind in ('code', 'already_registered', 'account_locked', 'no_account', 'nothing',
                                            'password_changed', 'email_changed', 'account_deleted', 'new_device',
                                            'two_factor_enabled', 'two_factor_disabled', 'recovery_codes_replaced',
                                            'recovery_code_used')),
    recipient       text    not null,
    code_id         integer references email_codes (code_id) on delete cascade,
    user_id         integer references users (user_id) on delete cascade,
    -- Random bytes from which the server key derives the code or the unlock token to put in the
    -- mail; the secret itself is never stored. Cleared once the mail is sent.
    secret_nonce    blob,
    -- What a notice tells (JSON: when, from which device and address, the new address, the
    -- username of a deleted account); cleared once the mail is sent.
    details         text,
    attempts        integer not null default 0,
    next_attempt_at integer not null,
    claimed_until   integer,
    claim_token     text,
    -- Short description of the last delivery failure, for operators (never a secret).
    last_error      text,
    sent_at         integer,
    created_at      integer not null
) strict;

create index email_outbox_due on email_outbox (next_attempt_at) where sent_at is null;
create index email_outbox_code on email_outbox (code_id);
create index email_outbox_user on email_outbox (user_id);
create index email_outbox_created on email_outbox (created_at);

-- Hits get an id (a sign-in that succeeds takes its hit back) and an index for the sweep.
-- Refused requests add none, so a flood adds nothing here.
drop table rate_limit_hits;

create table rate_limit_hits (
    hit_id integer primary key autoincrement,
    bucket text    not null,
    at     integer not null
) strict;

create index rate_limit_hits_bucket on rate_limit_hits (bucket, at);
create index rate_limit_hits_at on rate_limit_hits (at);

-- Consecutive failed sign-ins per identifier as typed and client: the sign-in delay and the proof
-- of work answer to these, so they are the same whether or not the identifier names an account.
create table sign_in_throttle (
    -- The identifier as typed (canonical), and the client it came from.
    identifier     text    not null,
    client         text    not null,
    consecutive    integer not null,
    last_failed_at integer not null,
    primary key (identifier, client)
) strict;
create index sign_in_throttle_last_failed on sign_in_throttle (last_failed_at);

-- Stand-ins for accounts that do not exist: a sign-in for an unknown identifier counts its failure
-- in one of these rows (chosen by a hash of the identifier) with the very statements a real
-- account's row gets, so an unknown name costs the same database work as a known one. Born
-- locked, so they never lock (or mail) anything.
create table sign_in_decoys (
    slot              integer primary key,
    failed_sign_ins   integer not null,
    locked_at         integer,
    unlock_token_hash blob,
    unlock_expires_at integer
) strict;

with recursive slots (slot) as (select 0 union all select slot + 1 from slots where slot < 63)
insert into sign_in_decoys (slot, failed_sign_ins, locked_at)
select slot, 0, 0 from slots;

-- One row per signed-in browser. The session record itself belongs to tower-sessions; this index
-- lets a user list and end their sessions, and decides the idle and absolute timeouts.
create table devices (
    device_id    integer primary key autoincrement,
    -- Random, kept in the server-side session; never the session cookie itself.
    handle       text    not null unique,
    user_id      integer not null references users (user_id) on delete cascade,
    ip           text    not null,
    user_agent   text    not null,
    signed_in_at integer not null,
    last_seen_at integer not null,
    -- When the password was last entered on this device: sensitive changes need it recent.
    password_at  integer not null
) strict;

create index devices_user on devices (user_id);
create index devices_last_seen on devices (last_seen_at);

-- Devices an account has signed in from, as a keyed fingerprint of browser, system and network:
-- a sign-in from one not seen before mails the owner.
create table known_devices (
    user_id       integer not null references users (user_id) on delete cascade,
    fingerprint   blob    not null,
    first_seen_at integer not null,
    primary key (user_id, fingerprint)
) strict;

create index used_challenges_expires on used_challenges (expires_at);

-- Security events, one row each. No codes or passwords, ever. Rows can be deleted only once the
-- retention sweep has moved the cutoff past them, and changed only to forget the address and
-- browser of a deleted account (see the triggers below).
create table security_events_v3 (
    event_id   integer primary key autoincrement,
    at         integer not null,
    kind       text    not null,
    -- The account concerned. No foreign key: the log outlives accounts.
    user_id    integer,
    -- Who acted, when not the account itself (an operator, later an admin).
    actor_id   integer,
    ip         text,
    user_agent text,
    outcome    text    not null check (outcome in ('success', 'failure', 'refused'))
) strict;

insert into security_events_v3 (event_id, at, kind, user_id, ip, user_agent, outcome)
select event_id, at, kind, user_id, ip, user_agent, outcome from security_events;

drop table security_events;
alter table security_events_v3 rename to security_events;

create index security_events_user on security_events (user_id, event_id);
create index security_events_at on security_events (at);

-- Refused requests, counted instead of logged one by one: one row per kind, limit bucket and
-- hour, so a flood of refusals costs a few rows.
create table refusals (
    kind         text    not null,
    bucket       text    not null,
    window_start integer not null,
    count        integer not null,
    last_at      integer not null,
    primary key (kind, bucket, window_start)
) strict;

create index refusals_window on refusals (window_start);

-- The retention sweep's cutoff: security events older than this may be deleted, others not.
create table event_retention (
    only_row      integer primary key check (only_row = 1),
    delete_before integer not null
) strict;

insert into event_retention (only_row, delete_before) values (1, 0);

-- The one change allowed: forgetting where the events of a deleted account came from.
create trigger security_events_append_only before update on security_events
when not (new.ip is null and new.user_agent is null and new.event_id = old.event_id and new.at = old.at
          and new.kind = old.kind and new.user_id is old.user_id and new.actor_id is old.actor_id
          and new.outcome = old.outcome)
begin
    select raise(abort, 'security_events is append-only');
end;

create trigger security_events_retention_only before delete on security_events
when old.at >= (select delete_before from event_retention)
begin
    select raise(abort, 'security_events: only entries past the retention period may be deleted');
end;
