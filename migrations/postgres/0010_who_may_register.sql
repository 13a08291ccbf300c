-- Invitations: an admin's (or the command line's) offer of an account to one address. The link's
-- token derives from its mail's nonce; only its keyed hash is kept. A row is pending while it is
-- neither used nor revoked and not past expires_at.
create table invitations (
    invitation_id bigint generated always as identity primary key,
    email         text   not null check (email = lower(email)),
    -- Group names, one per line, joined at registration (a group deleted since is skipped).
    group_names   text   not null,
    token_hash    bytea  not null unique,
    invited_by    bigint references users (user_id) on delete set null,
    created_at    bigint not null,
    expires_at    bigint not null,
    used_at       bigint,
    used_by       bigint references users (user_id) on delete set null,
    revoked_at    bigint
);

create index invitations_email on invitations (email);

-- The terms an account accepted, and when (both null: none yet).
alter table users add column terms_version text;
alter table users add column terms_accepted_at bigint;

-- A new kind of mail: an invitation.
alter table email_outbox drop constraint email_outbox_kind_check;
alter table email_outbox add constraint email_outbox_kind_check
    check (kind in ('code', 'already_registered', 'account_locked', 'no_account', 'nothing',
                    'password_changed', 'email_changed', 'account_deleted', 'new_device',
                    'two_factor_enabled', 'two_factor_disabled', 'recovery_codes_replaced',
                    'recovery_code_used', 'recovery_paused',
                    'passkey_added', 'passkey_renamed', 'passkey_removed', 'invitation'));
