-- A new kind of mail: "password recovery for your account is paused", sent when the wrong reset
-- codes of an account reach their budget.
alter table email_outbox drop constraint email_outbox_kind_check;
alter table email_outbox add constraint email_outbox_kind_check
    check (kind in ('code', 'already_registered', 'account_locked', 'no_account', 'nothing',
                    'password_changed', 'email_changed', 'account_deleted', 'new_device',
                    'two_factor_enabled', 'two_factor_disabled', 'recovery_codes_replaced',
                    'recovery_code_used', 'recovery_paused'));
