-- Accounts, their email verifications, and the outbox that delivers verification mail.
-- Times are unix seconds (UTC), written by the server; the client's clock is never trusted.

create table users (
    user_id           integer primary key,
    -- Lower-cased on the way in, so uniqueness is case-insensitive.
    username          text    not null unique,
    email             text    not null unique,
    -- argon2id PHC string; it records its own parameters, so they can be raised later.
    password_hash     text    not null,
    created_at        integer not null,
    -- Null until the owner proves the address with the emailed code; such an account cannot sign in.
    verified_at       integer,
    last_login_at     integer,
    previous_login_at integer
) strict;

-- One row per registration waiting for its code. A row with no user is a decoy: the address
-- already belongs to an account, so the owner gets a notice instead of a code, while the
-- registering browser sees exactly what a new registration sees (no account enumeration).
create table email_verifications (
    verification_id       integer primary key,
    user_id               integer unique references users (user_id) on delete cascade,
    email                 text    not null,
    -- HMAC-SHA-256 of the code under the server's secret key; the code itself is never stored.
    -- Null until the outbox worker mints a code and hands the mail to SMTP.
    code_hash             blob,
    expires_at            integer,
    -- Wrong guesses against the current code; a new code starts again at zero.
    failed_attempts       integer not null default 0,
    -- Wrong guesses over the life of the registration; a new code does not reset it.
    total_failed_attempts integer not null default 0,
    -- When a code was last requested (registration or resend): the resend cooldown counts from here.
    last_requested_at     integer not null,
    created_at            integer not null
) strict;

-- Transactional outbox: a row is written in the same transaction as the registration, so a mail
-- server that is down loses nothing; the worker retries with backoff until it is sent.
create table email_outbox (
    outbox_id       integer primary key,
    verification_id integer not null references email_verifications (verification_id) on delete cascade,
    kind            text    not null check (kind in ('verification_code', 'already_registered')),
    attempts        integer not null default 0,
    next_attempt_at integer not null,
    -- Short description of the last delivery failure, for operators (never contains the code).
    last_error      text,
    sent_at         integer,
    created_at      integer not null
) strict;

create index email_outbox_due on email_outbox (next_attempt_at) where sent_at is null;
