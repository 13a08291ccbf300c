-- Gatehouse on PostgreSQL: the same schema as migrations/sqlite after all of its migrations,
-- table by table and column by column (tests/it/schema.rs compares the two, so they cannot
-- drift). Times are unix seconds (UTC), written by the server; the client's clock is never
-- trusted. Ids come from identity columns and are never reused.

create table users (
    user_id           bigint generated always as identity primary key,
    -- Canonical (lower-cased) on the way in; the checks make uniqueness case-insensitive here too.
    username          text   not null unique check (username = lower(username)),
    email             text   not null unique check (email = lower(email)),
    -- argon2id PHC string; it records its own parameters, so they can be raised later.
    password_hash     text   not null,
    created_at        bigint not null,
    -- Null until the owner proves the address with the emailed code; such an account cannot sign in.
    verified_at       bigint,
    last_login_at     bigint,
    previous_login_at bigint,
    -- Consecutive evaluated sign-in failures of the account, over every spelling and client.
    failed_sign_ins   bigint not null default 0,
    -- Set when failed_sign_ins reaches the cap; the owner is mailed a link that lifts it.
    locked_at         bigint,
    -- Keyed hash of the single-use unlock link's token, and when the link stops working.
    unlock_token_hash bytea  unique,
    unlock_expires_at bigint
);

-- The sweep finds registrations that were never verified without reading every account.
create index users_unverified on users (created_at) where verified_at is null;

-- One row per flow that proves an address with an emailed 6-digit code. A flow without a user
-- is a decoy: the address already has an account, so its owner is told instead, while the
-- browser sees exactly what a new registration sees.
create table email_codes (
    code_id               bigint generated always as identity primary key,
    -- Random; the browser's server-side session holds it. Never reused, never derived from an id.
    flow_token            text   not null unique,
    purpose               text   not null check (purpose in ('registration', 'recovery', 'email_change')),
    user_id               bigint references users (user_id) on delete cascade,
    email                 text   not null,
    -- Keyed hash of the current code, bound to the purpose and the flow; null once used.
    code_hash             bytea,
    -- When the current code's mail reached the mail server; its lifetime counts from then.
    code_sent_at          bigint,
    code_expires_at       bigint,
    -- Wrong guesses against the current code, and over the whole flow (a new code keeps those).
    code_failed_attempts  bigint not null default 0,
    total_failed_attempts bigint not null default 0,
    codes_issued          bigint not null default 1,
    -- The resend cooldown counts from here.
    last_requested_at     bigint not null,
    created_at            bigint not null,
    -- When the right code was entered.
    verified_at           bigint,
    -- When the flow was done (for recovery: once the new password is set).
    finished_at           bigint
);

create index email_codes_user on email_codes (user_id);
create index email_codes_created on email_codes (created_at);
create index email_codes_finished on email_codes (finished_at);

-- Transactional outbox: a row is written in the same transaction as what it tells about, so a
-- mail server that is down loses nothing. Workers claim rows with a lease, so each mail is sent
-- by one instance, and a row claimed by an instance that died is claimed again once the lease ends.
create table email_outbox (
    outbox_id       bigint generated always as identity primary key,
    kind            text   not null check (kind in ('code', 'already_registered', 'account_locked', 'no_account', 'nothing',
                                            'password_changed', 'email_changed', 'account_deleted', 'new_device',
                                            'two_factor_enabled', 'two_factor_disabled', 'recovery_codes_replaced',
                                            'recovery_code_used')),
    recipient       text   not null,
    code_id         bigint references email_codes (code_id) on delete cascade,
    user_id         bigint references users (user_id) on delete cascade,
    -- Random bytes from which the server key derives the code or the unlock token to put in the
    -- mail; the secret itself is never stored. Cleared once the mail is sent.
    secret_nonce    bytea,
    -- What a notice tells (JSON: when, from which device and address, the new address, the
    -- username of a deleted account); cleared once the mail is sent.
    details         text,
    attempts        bigint not null default 0,
    next_attempt_at bigint not null,
    claimed_until   bigint,
    claim_token     text,
    -- Short description of the last delivery failure, for operators (never a secret).
    last_error      text,
    sent_at         bigint,
    created_at      bigint not null
);

create index email_outbox_due on email_outbox (next_attempt_at) where sent_at is null;
create index email_outbox_code on email_outbox (code_id);
create index email_outbox_user on email_outbox (user_id);
create index email_outbox_created on email_outbox (created_at);

-- One row per counted request in a sliding window, e.g. bucket 'register:203.0.113.7'.
-- Refused requests add none, so a flood adds nothing here.
create table rate_limit_hits (
    hit_id bigint generated always as identity primary key,
    bucket text   not null,
    at     bigint not null
);

create index rate_limit_hits_bucket on rate_limit_hits (bucket, at);
create index rate_limit_hits_at on rate_limit_hits (at);

-- Consecutive failed sign-ins per identifier as typed and client: the sign-in delay and the proof
-- of work answer to these, so they are the same whether or not the identifier names an account.
create table sign_in_throttle (
    -- The identifier as typed (canonical), and the client it came from.
    identifier     text   not null,
    client         text   not null,
    consecutive    bigint not null,
    last_failed_at bigint not null,
    primary key (identifier, client)
);

create index sign_in_throttle_last_failed on sign_in_throttle (last_failed_at);

-- Stand-ins for accounts that do not exist: a sign-in for an unknown identifier counts its failure
-- in one of these rows (chosen by a hash of the identifier) with the very statements a real
-- account's row gets, so an unknown name costs the same database work as a known one. Born
-- locked, so they never lock (or mail) anything.
create table sign_in_decoys (
    slot              bigint primary key,
    failed_sign_ins   bigint not null,
    locked_at         bigint,
    unlock_token_hash bytea,
    unlock_expires_at bigint
);

insert into sign_in_decoys (slot, failed_sign_ins, locked_at)
select slot, 0, 0 from generate_series(0, 63) as slot;

-- One row per signed-in browser. The session record itself belongs to tower-sessions; this index
-- lets a user list and end their sessions, and decides the idle and absolute timeouts.
create table devices (
    device_id    bigint generated always as identity primary key,
    -- Random, kept in the server-side session; never the session cookie itself.
    handle       text   not null unique,
    user_id      bigint not null references users (user_id) on delete cascade,
    ip           text   not null,
    user_agent   text   not null,
    signed_in_at bigint not null,
    last_seen_at bigint not null,
    -- When the password was last entered on this device: sensitive changes need it recent.
    password_at  bigint not null
);

create index devices_user on devices (user_id);
create index devices_last_seen on devices (last_seen_at);

-- Devices an account has signed in from, as a keyed fingerprint of browser, system and network:
-- a sign-in from one not seen before mails the owner.
create table known_devices (
    user_id       bigint not null references users (user_id) on delete cascade,
    fingerprint   bytea  not null,
    first_seen_at bigint not null,
    primary key (user_id, fingerprint)
);

-- Proof-of-work challenges that have been redeemed: each works once.
create table used_challenges (
    challenge  text   primary key,
    expires_at bigint not null
);

create index used_challenges_expires on used_challenges (expires_at);

-- Security events, one row each. No codes or passwords, ever. Rows can be deleted only once the
-- retention sweep has moved the cutoff past them, and changed only to forget the address and
-- browser of a deleted account (see the trigger below).
create table security_events (
    event_id   bigint generated always as identity primary key,
    at         bigint not null,
    kind       text   not null,
    -- The account concerned. No foreign key: the log outlives accounts.
    user_id    bigint,
    -- Who acted, when not the account itself (an operator, later an admin).
    actor_id   bigint,
    ip         text,
    user_agent text,
    outcome    text   not null check (outcome in ('success', 'failure', 'refused'))
);

create index security_events_user on security_events (user_id, event_id);
create index security_events_at on security_events (at);

-- Refused requests, counted instead of logged one by one: one row per kind, limit bucket and
-- hour, so a flood of refusals costs a few rows.
create table refusals (
    kind         text   not null,
    bucket       text   not null,
    window_start bigint not null,
    count        bigint not null,
    last_at      bigint not null,
    primary key (kind, bucket, window_start)
);

create index refusals_window on refusals (window_start);

-- The retention sweep's cutoff: security events older than this may be deleted, others not.
create table event_retention (
    only_row      bigint primary key check (only_row = 1),
    delete_before bigint not null
);

insert into event_retention (only_row, delete_before) values (1, 0);

create function security_events_guard() returns trigger language plpgsql as $$
begin
    if tg_op = 'UPDATE' then
        -- The one change allowed: forgetting where the events of a deleted account came from.
        if new.ip is null and new.user_agent is null
           and (new.event_id, new.at, new.kind, new.user_id, new.actor_id, new.outcome)
               is not distinct from (old.event_id, old.at, old.kind, old.user_id, old.actor_id, old.outcome) then
            return new;
        end if;
        raise exception 'security_events is append-only';
    end if;
    if old.at >= (select delete_before from event_retention) then
        raise exception 'security_events: only entries past the retention period may be deleted';
    end if;
    return old;
end;
$$;

create trigger security_events_guard before update or delete on security_events
    for each row execute function security_events_guard();
