-- Invitations: an admin's (or the command line's) offer of an account to one address. The link's
-- token derives from its mail's nonce; only its keyed hash is kept. A row is pending while it is
-- neither used nor revoked and not past expires_at.
create table invitations (
    invitation_id integer primary key,
    email         text    not null,
    -- Group names, one per line, joined at registration (a group deleted since is skipped).
    group_names   text    not null,
    token_hash    blob    not null unique,
    invited_by    integer references users (user_id) on delete set null,
    created_at    integer not null,
    expires_at    integer not null,
    used_at       integer,
    used_by       integer references users (user_id) on delete set null,
    revoked_at    integer
) strict;

create index invitations_email on invitations (email);

-- The terms an account accepted, and when (both null: none yet).
alter table users add column terms_version text;
alter table users add column terms_accepted_at integer;

-- A new kind of mail: an invitation. SQLite cannot change a check constraint, so the outbox is
-- rebuilt with the same rows, ids and id sequence.
create table email_outbox_v12 (
    outbox_id       integer primary key autoincrement,
    kind            text    not null check (kind in ('code', 'already_registered', 'account_locked', 'no_account', 'nothing',
                                            'password_changed', 'email_changed', 'account_deleted', 'new_device',
                                            'two_factor_enabled', 'two_factor_disabled', 'recovery_codes_replaced',
                                            'recovery_code_used', 'recovery_paused',
                                            'passkey_added', 'passkey_renamed', 'passkey_removed', 'invitation')),
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

insert into email_outbox_v12 select * from email_outbox;
delete from sqlite_sequence where name = 'email_outbox_v12';
insert into sqlite_sequence (name, seq) select 'email_outbox_v12', seq from sqlite_sequence where name = 'email_outbox';
drop table email_outbox;
alter table email_outbox_v12 rename to email_outbox;

create index email_outbox_due on email_outbox (next_attempt_at) where sent_at is null;
create index email_outbox_code on email_outbox (code_id);
create index email_outbox_user on email_outbox (user_id);
create index email_outbox_created on email_outbox (created_at);
