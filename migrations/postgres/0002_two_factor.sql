-- Two-factor sign-in: an authenticator app (TOTP, RFC 6238) and single-use recovery codes.

-- The account's authenticator-app secret, sealed with a key derived from the server key
-- (XChaCha20-Poly1305, bound to the account): a copy of the database alone does not give it away.
-- A row without `enabled_at` is an enrolment waiting for its first code.
create table totp_factors (
    user_id        bigint primary key references users (user_id) on delete cascade,
    sealed_secret  bytea   not null,
    created_at     bigint  not null,
    enabled_at     bigint,
    -- The last time step a code was accepted for: a step is accepted once (replay guard).
    last_used_step bigint
);

-- Recovery codes, stored as keyed hashes; each works once.
create table recovery_codes (
    user_id    bigint  not null references users (user_id) on delete cascade,
    code_hash  bytea   not null,
    created_at bigint  not null,
    used_at    bigint,
    primary key (user_id, code_hash)
);
