-- Passkeys (WebAuthn discoverable credentials): each account's, and the ceremonies under way.

create table passkeys (
    passkey_id    bigint generated always as identity primary key,
    user_id       bigint  not null references users (user_id) on delete cascade,
    credential_id bytea   not null unique,
    name          text    not null,
    -- The credential as the WebAuthn library keeps it (JSON): its public key, signature counter
    -- and backup flags, updated after every use.
    credential    text    not null,
    created_at    bigint  not null,
    last_used_at  bigint
);

create index passkeys_user on passkeys (user_id);

-- The accounts with two-factor on: an authenticator app turned on, or a passkey. Every question
-- "has this account a second factor?" reads this one definition.
create view second_factor_accounts as
    select user_id from totp_factors where enabled_at is not null
    union
    select user_id from passkeys;

-- A ceremony's state between its two requests: single use (deleted as it is read), 5 minutes.
create table passkey_ceremonies (
    ceremony_hash bytea   primary key,
    purpose       text    not null check (purpose in ('register', 'sign_in', 'second_step')),
    -- The account it is for (none for a sign-in by passkey alone: the passkey names it).
    user_id       bigint  references users (user_id) on delete cascade,
    state         text    not null,
    expires_at    bigint  not null
);

create index passkey_ceremonies_expiry on passkey_ceremonies (expires_at);

-- New kinds of mail: a passkey added, renamed or removed.
alter table email_outbox drop constraint email_outbox_kind_check;
alter table email_outbox add constraint email_outbox_kind_check
    check (kind in ('code', 'already_registered', 'account_locked', 'no_account', 'nothing',
                    'password_changed', 'email_changed', 'account_deleted', 'new_device',
                    'two_factor_enabled', 'two_factor_disabled', 'recovery_codes_replaced',
                    'recovery_code_used', 'recovery_paused',
                    'passkey_added', 'passkey_renamed', 'passkey_removed'));
