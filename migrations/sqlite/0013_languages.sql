-- The language an account's pages and mails are in: saved at registration and by the language
-- switch (a BCP 47 tag like `de`); null for accounts made before languages, which follow the
-- browser until they choose.
alter table users add column language text;
