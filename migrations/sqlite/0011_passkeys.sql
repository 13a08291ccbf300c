-- Passkeys (WebAuthn discoverable credentials): each account's, and the ceremonies under way.

create table passkeys (
    passkey_id    integer primary key autoincrement,
    user_id       integer not null references users (user_id) on delete cascade,
    credential_id blob    not null unique,
    name          text    not null,
    -- The credential as the WebAuthn library keeps it (JSON): its public key, signature counter
    -- and backup flags, updated after every use.
    credential    text    not null,
    created_at    integer not null,
    last_used_at  integer
) strict;

create index passkeys_user on passkeys (user_id);

-- The accounts with two-factor on: an authenticator app turned on, or a passkey. Every question
-- "has this account a second factor?" reads this one definition.
create view second_factor_accounts as
    select user_id from totp_factors where enabled_at is not null
    union
    select user_id from passkeys;

-- A ceremony's state between its two requests: single use (deleted as it is read), 5 minutes.
create table passkey_ceremonies (
    ceremony_hash blob    primary key,
    purpose       text    not null check (purpose in ('register', 'sign_in', 'second_step')),
    -- The account it is for (none for a sign-in by passkey alone: the passkey names it).
    user_id       integer references users (user_id) on delete cascade,
    state         text    not null,
    expires_at    integer not null
) strict;

create index passkey_ceremonies_expiry on passkey_ceremonies (expires_at);

-- New kinds of mail: a passkey added, renamed or removed. SQLite cannot change a check
-- constraint, so the outbox is rebuilt with the same rows, ids and id sequence.
create table email_outbox_v11 (
    outbox_id       integer primary key autoincrement,
    kind            text    not null check (kind in ('code', 'already_registered', 'account_locked', 'no_account', 'nothing',
                                            'password_changed', 'email_changed', 'account_deleted', 'new_device',
                                            'two_factor_enabled', 'two_factor_disabled', 'recovery_codes_replaced',
                                            'recovery_code_used', 'recovery_paused',
                                            'passkey_added', 'passkey_renamed', 'passkey_removed')),
    recipient       text    not null,
    code_id         integer references email_codes (code_id) on delete cascade,
    user_id         integer references users (user_id) on delete cascade,
    secret_nonce    blob,
    details         text,
    attempts        integer not null default 0,
    next_attempt_at integer not null,
    claimed_until   integer,
    claim_token     text,
    last_error      text,
    sent_at         integer,
    created_at      integer not null
) strict;

insert into email_outbox_v11 select * from email_outbox;
delete from sqlite_sequence where name = 'email_outbox_v11';
insert into sqlite_sequence (name, seq) select 'email_outbox_v11', seq from sqlite_sequence where name = 'email_outbox';
drop table email_outbox;
alter table email_outbox_v11 rename to email_outbox;

create index email_outbox_due on email_outbox (next_attempt_at) where sent_at is null;
create index email_outbox_code on email_outbox (code_id);
create index email_outbox_user on email_outbox (user_id);
create index email_outbox_created on email_outbox (created_at);
