-- The OpenID Connect provider: the apps that may ask who a user is (clients), the keys that sign
-- what it answers, and what it hands out. Codes and tokens are kept as keyed hashes only.

-- A registered app. Lists (redirect and sign-out addresses, groups) are one entry per line.
create table oidc_clients (
    client_id        text    primary key,
    name             text    not null,
    -- The keyed hash of the secret; null for a public client (a native or browser app).
    secret_hash      bytea,
    redirect_uris    text    not null,
    post_logout_uris text    not null,
    -- Only members of one of these groups may sign in to it; empty: every account.
    allowed_groups   text    not null,
    consent          text    not null check (consent in ('implicit', 'explicit')),
    -- `optional`: a legacy confidential client that cannot send PKCE.
    pkce             text    not null check (pkce in ('required', 'optional')),
    created_at       bigint  not null
);

-- RS256 signing keys. The current one has no `retired_at`; a retired one stays published until
-- the ID tokens it signed have expired.
create table oidc_signing_keys (
    key_id      text    primary key,
    -- The private key (PKCS#1 DER), sealed with the server key.
    sealed_key  bytea   not null,
    modulus     text    not null,
    exponent    text    not null,
    created_at  bigint  not null,
    retired_at  bigint
);
create unique index oidc_signing_keys_one_current on oidc_signing_keys ((retired_at is null))
    where retired_at is null;

-- Authorization codes: single use, bound to their client, redirect address, PKCE and nonce.
-- `family` names everything the code's redemption mints, so a replay can revoke it all.
create table oidc_codes (
    code_hash      bytea   primary key,
    client_id      text    not null references oidc_clients (client_id) on delete cascade,
    user_id        bigint  not null references users (user_id) on delete cascade,
    redirect_uri   text    not null,
    scope          text    not null,
    nonce          text,
    code_challenge text,
    auth_time      bigint  not null,
    amr            text    not null,
    family         text    not null,
    expires_at     bigint  not null,
    redeemed_at    bigint
);

-- Access and refresh tokens. A refresh token, once exchanged, stays (with `used_at`) so that its
-- reuse is recognised and its whole family revoked.
create table oidc_tokens (
    token_hash bytea   primary key,
    kind       text    not null check (kind in ('access', 'refresh')),
    family     text    not null,
    client_id  text    not null references oidc_clients (client_id) on delete cascade,
    user_id    bigint  not null references users (user_id) on delete cascade,
    scope      text    not null,
    auth_time  bigint  not null,
    amr        text    not null,
    expires_at bigint  not null,
    used_at    bigint
);
create index oidc_tokens_family on oidc_tokens (family);
create index oidc_tokens_user on oidc_tokens (user_id, client_id);

-- The apps a user has allowed, and what they may receive.
create table oidc_grants (
    user_id    bigint  not null references users (user_id) on delete cascade,
    client_id  text    not null references oidc_clients (client_id) on delete cascade,
    scope      text    not null,
    granted_at bigint  not null,
    primary key (user_id, client_id)
);
