-- A new kind of mail: "password recovery for your account is paused", sent when the wrong reset
-- codes of an account reach their budget. SQLite cannot change a check constraint, so the outbox
-- is rebuilt with the same rows, ids and id sequence.
create table email_outbox_v8 (
    outbox_id       integer primary key autoincrement,
    kind            text    not null check (kind in ('code', 'already_registered', 'account_locked', 'no_account', 'nothing',
                                            'password_changed', 'email_changed', 'account_deleted', 'new_device',
                                            'two_factor_enabled', 'two_factor_disabled', 'recovery_codes_replaced',
                                            'recovery_code_used', 'recovery_paused')),
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

insert into email_outbox_v8 select * from email_outbox;
delete from sqlite_sequence where name = 'email_outbox_v8';
insert into sqlite_sequence (name, seq) select 'email_outbox_v8', seq from sqlite_sequence where name = 'email_outbox';
drop table email_outbox;
alter table email_outbox_v8 rename to email_outbox;

create index email_outbox_due on email_outbox (next_attempt_at) where sent_at is null;
create index email_outbox_code on email_outbox (code_id);
create index email_outbox_user on email_outbox (user_id);
create index email_outbox_created on email_outbox (created_at);
