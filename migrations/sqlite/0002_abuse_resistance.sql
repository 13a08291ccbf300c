-- Abuse resistance: rate-limit counters, sign-in failures and lockout, the index of signed-in
-- sessions, single-use proof-of-work challenges, and the security event log.
-- All of it lives in the database, so limits hold across restarts (and later across instances).

-- One row per counted request in a sliding window, e.g. bucket 'register:ip:203.0.113.7'.
create table rate_limit_hits (
    bucket text    not null,
    at     integer not null
) strict;

create index rate_limit_hits_bucket on rate_limit_hits (bucket, at);

-- Consecutive failed sign-ins per target: 'user:<id>' for an account (every spelling of its
-- username and its email feed the same counter), 'name:<identifier>' when no account matches,
-- so a throttled unknown name looks exactly like a throttled account.
create table login_failures (
    target         text    primary key,
    consecutive    integer not null,
    last_failed_at integer not null,
    -- Set at the lockout threshold; only an unlock (operator, later a password reset) clears it.
    locked_at      integer
) strict;

-- One row per signed-in browser. The session record itself belongs to tower-sessions; this index
-- lets a user list their sessions and end them, and enforces the absolute lifetime.
create table user_sessions (
    user_session_id integer primary key,
    -- Random, kept in the server-side session; never the session cookie itself.
    handle          text    not null unique,
    user_id         integer not null references users (user_id) on delete cascade,
    ip              text    not null,
    user_agent      text    not null,
    signed_in_at    integer not null,
    last_seen_at    integer not null
) strict;

create index user_sessions_user on user_sessions (user_id);

-- Proof-of-work challenges that have been redeemed: each works once.
create table used_challenges (
    challenge  text    primary key,
    expires_at integer not null
) strict;

-- Security events, append-only from the application's side. No codes or passwords, ever.
create table security_events (
    event_id   integer primary key,
    at         integer not null,
    kind       text    not null,
    -- No foreign key: the log outlives accounts that are deleted.
    user_id    integer,
    ip         text,
    user_agent text,
    outcome    text    not null check (outcome in ('success', 'failure', 'refused'))
) strict;

create index security_events_user on security_events (user_id, at);

create trigger security_events_append_only_update before update on security_events
begin
    select raise(abort, 'security_events is append-only');
end;

create trigger security_events_append_only_delete before delete on security_events
begin
    select raise(abort, 'security_events is append-only');
end;
