-- A new recovery request voids the previous one by address, whether or not an account uses it:
-- the same indexed lookup either way, so the time taken does not tell the two apart.
create index email_codes_email on email_codes (email);
