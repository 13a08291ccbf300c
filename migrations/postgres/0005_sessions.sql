-- The index of signed-in browsers takes the name the pages and the API give it: sessions.
alter table devices rename to sessions;
alter table sessions rename column device_id to session_id;
alter index devices_pkey rename to sessions_pkey;
alter index devices_handle_key rename to sessions_handle_key;
alter index devices_user rename to sessions_user;
alter index devices_last_seen rename to sessions_last_seen;
alter table sessions rename constraint devices_user_id_fkey to sessions_user_id_fkey;
alter sequence devices_device_id_seq rename to sessions_session_id_seq;
