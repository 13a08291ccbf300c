-- Groups of accounts, named by the access rules of forward-auth (and later by OpenID Connect
-- clients). A name is what the rules and the `Remote-Groups` header say: lower-case letters,
-- digits, `-` and `_`, checked by the server before it gets here.
create table user_groups (
    group_id    bigint generated always as identity primary key,
    name        text    not null unique,
    description text    not null,
    created_at  bigint  not null
);

create table group_members (
    group_id bigint  not null references user_groups (group_id) on delete cascade,
    user_id  bigint  not null references users (user_id) on delete cascade,
    added_at bigint  not null,
    primary key (group_id, user_id)
);

create index group_members_user on group_members (user_id);

-- What an event names besides its account: the group of a group change.
alter table security_events add column detail text;

-- How each sign-in was made, as RFC 8176 `amr` values: `pwd`, or `pwd otp` after a second factor.
alter table sessions add column amr text not null default 'pwd';
-- The keyed hash of the cookie forward-auth reads for this sign-in (see flows/forward_auth.rs).
alter table sessions add column forward_token_hash bytea;
create unique index sessions_forward_token on sessions (forward_token_hash);
