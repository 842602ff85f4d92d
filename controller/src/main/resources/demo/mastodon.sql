-- =============================================================================
-- pgrelocate demo database: a small "Mastodon-like" social network
-- =============================================================================
-- Loaded ONCE into an EMPTY database by a SUPERUSER, as ONE multi-statement
-- string (JDBC Statement.execute), i.e. inside one implicit transaction:
-- no psql meta-commands, no COPY FROM stdin, no VACUUM, no CONCURRENTLY,
-- no CREATE DATABASE / ROLE. Requires PostgreSQL 14 or later with the contrib
-- extensions citext, hstore and pgcrypto.
--
-- All content is deterministic: it is derived from generate_series values
-- with integer arithmetic and pgcrypto digests (no random(), no clock).
--
--   accounts            2 000 rows  (hstore profile fields)
--   users               2 000 rows  (1:1 with accounts, citext e-mail, pgcrypto digests)
--   statuses           20 000 rows  (unicode / emoji text, replies to earlier statuses)
--   follows            30 000 rows  (15 per account, unique pair, no self-follow)
--   favourites         25 000 rows  (unique pair)
--   tags                   12 rows
--   statuses_tags       6 666 rows
--   media_attachments      50 rows, each file stored as a large object
--                                  (OIDs 5000001 .. 5000050, 9 to 58 KiB each, 1.7 MB in total)
--   account_stats       2 000 rows  (denormalised counters)
-- Bigint ids come from sequences (advanced with setval to max(id)).
-- =============================================================================

CREATE EXTENSION IF NOT EXISTS citext;
CREATE EXTENSION IF NOT EXISTS hstore;
CREATE EXTENSION IF NOT EXISTS pgcrypto;

-- ---------------------------------------------------------------------------
-- Schema
-- ---------------------------------------------------------------------------
CREATE SEQUENCE public.accounts_id_seq;
CREATE TABLE public.accounts (
    id            bigint PRIMARY KEY DEFAULT nextval('public.accounts_id_seq'),
    username      text NOT NULL,
    domain        text,
    display_name  text NOT NULL DEFAULT '',
    note          text NOT NULL DEFAULT '',
    fields        public.hstore,
    locked        boolean NOT NULL DEFAULT false,
    bot           boolean NOT NULL DEFAULT false,
    created_at    timestamptz NOT NULL,
    updated_at    timestamptz NOT NULL
);
ALTER SEQUENCE public.accounts_id_seq OWNED BY public.accounts.id;
CREATE UNIQUE INDEX index_accounts_on_username_and_domain_lower
    ON public.accounts (lower(username), coalesce(lower(domain), ''));
CREATE INDEX index_accounts_on_domain ON public.accounts (domain) WHERE domain IS NOT NULL;
COMMENT ON TABLE public.accounts IS 'Local and remote accounts';

CREATE SEQUENCE public.users_id_seq;
CREATE TABLE public.users (
    id                  bigint PRIMARY KEY DEFAULT nextval('public.users_id_seq'),
    account_id          bigint NOT NULL UNIQUE REFERENCES public.accounts (id) ON DELETE CASCADE,
    email               public.citext NOT NULL UNIQUE,
    encrypted_password  text NOT NULL,
    confirmation_token  uuid,
    locale              text NOT NULL DEFAULT 'en',
    settings            public.hstore NOT NULL DEFAULT '',
    admin               boolean NOT NULL DEFAULT false,
    created_at          timestamptz NOT NULL,
    last_sign_in_at     timestamptz
);
ALTER SEQUENCE public.users_id_seq OWNED BY public.users.id;
COMMENT ON COLUMN public.users.email IS 'Case-insensitive (citext)';

CREATE SEQUENCE public.statuses_id_seq;
CREATE TABLE public.statuses (
    id                      bigint PRIMARY KEY DEFAULT nextval('public.statuses_id_seq'),
    account_id              bigint NOT NULL REFERENCES public.accounts (id) ON DELETE CASCADE,
    in_reply_to_id          bigint REFERENCES public.statuses (id) ON DELETE SET NULL,
    in_reply_to_account_id  bigint REFERENCES public.accounts (id) ON DELETE SET NULL,
    text                    text NOT NULL,
    spoiler_text            text NOT NULL DEFAULT '',
    language                text,
    visibility              smallint NOT NULL DEFAULT 0,
    sensitive               boolean NOT NULL DEFAULT false,
    uri                     text,
    created_at              timestamptz NOT NULL,
    updated_at              timestamptz NOT NULL
);
ALTER SEQUENCE public.statuses_id_seq OWNED BY public.statuses.id;
CREATE INDEX index_statuses_on_account_id_id ON public.statuses (account_id, id DESC);
CREATE INDEX index_statuses_on_in_reply_to_id ON public.statuses (in_reply_to_id) WHERE in_reply_to_id IS NOT NULL;
CREATE INDEX index_statuses_public_timeline ON public.statuses (id DESC) WHERE visibility = 0;
CREATE INDEX index_statuses_fts ON public.statuses USING gin (to_tsvector('simple', text));

CREATE SEQUENCE public.follows_id_seq;
CREATE TABLE public.follows (
    id                 bigint PRIMARY KEY DEFAULT nextval('public.follows_id_seq'),
    account_id         bigint NOT NULL REFERENCES public.accounts (id) ON DELETE CASCADE,
    target_account_id  bigint NOT NULL REFERENCES public.accounts (id) ON DELETE CASCADE,
    show_reblogs       boolean NOT NULL DEFAULT true,
    created_at         timestamptz NOT NULL,
    CONSTRAINT follows_no_self CHECK (account_id <> target_account_id),
    CONSTRAINT index_follows_on_account_id_and_target_account_id UNIQUE (account_id, target_account_id)
);
ALTER SEQUENCE public.follows_id_seq OWNED BY public.follows.id;
CREATE INDEX index_follows_on_target_account_id ON public.follows (target_account_id);

CREATE SEQUENCE public.favourites_id_seq;
CREATE TABLE public.favourites (
    id          bigint PRIMARY KEY DEFAULT nextval('public.favourites_id_seq'),
    account_id  bigint NOT NULL REFERENCES public.accounts (id) ON DELETE CASCADE,
    status_id   bigint NOT NULL REFERENCES public.statuses (id) ON DELETE CASCADE,
    created_at  timestamptz NOT NULL,
    CONSTRAINT index_favourites_on_account_id_and_status_id UNIQUE (account_id, status_id)
);
ALTER SEQUENCE public.favourites_id_seq OWNED BY public.favourites.id;
CREATE INDEX index_favourites_on_status_id ON public.favourites (status_id);

CREATE SEQUENCE public.tags_id_seq;
CREATE TABLE public.tags (
    id    bigint PRIMARY KEY DEFAULT nextval('public.tags_id_seq'),
    name  public.citext NOT NULL UNIQUE
);
ALTER SEQUENCE public.tags_id_seq OWNED BY public.tags.id;

CREATE TABLE public.statuses_tags (
    status_id  bigint NOT NULL REFERENCES public.statuses (id) ON DELETE CASCADE,
    tag_id     bigint NOT NULL REFERENCES public.tags (id) ON DELETE CASCADE,
    PRIMARY KEY (tag_id, status_id)
);
CREATE INDEX index_statuses_tags_on_status_id ON public.statuses_tags (status_id);

CREATE SEQUENCE public.media_attachments_id_seq;
CREATE TABLE public.media_attachments (
    id                 bigint PRIMARY KEY DEFAULT nextval('public.media_attachments_id_seq'),
    status_id          bigint REFERENCES public.statuses (id) ON DELETE SET NULL,
    account_id         bigint NOT NULL REFERENCES public.accounts (id) ON DELETE CASCADE,
    file_oid           oid NOT NULL UNIQUE,
    file_content_type  text NOT NULL,
    file_file_size     integer NOT NULL,
    file_sha256        text NOT NULL,
    description        text,
    created_at         timestamptz NOT NULL
);
ALTER SEQUENCE public.media_attachments_id_seq OWNED BY public.media_attachments.id;
CREATE INDEX index_media_attachments_on_status_id ON public.media_attachments (status_id);
COMMENT ON COLUMN public.media_attachments.file_oid IS 'Large object holding the file bytes';

CREATE TABLE public.account_stats (
    account_id       bigint PRIMARY KEY REFERENCES public.accounts (id) ON DELETE CASCADE,
    statuses_count   bigint NOT NULL DEFAULT 0,
    following_count  bigint NOT NULL DEFAULT 0,
    followers_count  bigint NOT NULL DEFAULT 0,
    last_status_at   timestamptz
);

-- ---------------------------------------------------------------------------
-- Data
-- ---------------------------------------------------------------------------
INSERT INTO public.accounts (id, username, domain, display_name, note, fields, locked, bot, created_at, updated_at)
SELECT g,
       (ARRAY['alice', 'bob', 'chloé', 'dmitri', 'eve', 'fatima', 'gus', 'hana', 'ivan', 'józef'])[1 + g % 10] || '_' || g,
       CASE WHEN g % 4 = 0 THEN (ARRAY['mastodon.social', 'fosstodon.org', 'chaos.social', 'mstdn.jp'])[1 + (g / 4) % 4] END,
       (ARRAY['Alice 🌸', 'Bob the Builder', 'Chloé ☕', 'Дмитрий', 'Eve 🔐', 'فاطمة', 'Gus 🐘', '花子', 'Ivan', 'Józef Żółw'])[1 + g % 10],
       'Hi! I am account #' || g || E'.\nI toot about ' || (ARRAY['Postgres 🐘', 'cats 🐱', 'coffee ☕', 'Rust 🦀', 'hiking ⛰️'])[1 + g % 5] || '.',
       public.hstore(ARRAY['Website', 'Pronouns'], ARRAY['https://example.org/~' || g, (ARRAY['she/her', 'he/him', 'they/them'])[1 + g % 3]]),
       g % 17 = 0,
       g % 50 = 0,
       timestamptz '2022-11-01 00:00:00+00' + g * interval '3 hours 17 minutes',
       timestamptz '2022-11-01 00:00:00+00' + g * interval '3 hours 17 minutes' + interval '1 day'
FROM generate_series(1, 2000) AS g;

INSERT INTO public.users (id, account_id, email, encrypted_password, confirmation_token, locale, settings, admin, created_at, last_sign_in_at)
SELECT a.id, a.id,
       initcap(split_part(a.username, '_', 1)) || '.' || a.id || '@Example.ORG',
       '$sha256$' || encode(public.digest('password-' || a.id, 'sha256'), 'hex'),
       CASE WHEN a.id % 10 = 0 THEN md5('confirm-' || a.id)::uuid END,
       (ARRAY['en', 'de', 'fr', 'ja', 'uk', 'ar', 'pl'])[1 + a.id % 7],
       public.hstore(ARRAY['theme', 'default_privacy', 'auto_play_gif'],
                     ARRAY[(ARRAY['light', 'dark', 'contrast'])[1 + a.id % 3], CASE WHEN a.id % 5 = 0 THEN 'unlisted' ELSE 'public' END, (a.id % 2 = 0)::text]),
       a.id = 1,
       a.created_at,
       CASE WHEN a.id % 3 <> 0 THEN a.created_at + (a.id % 97) * interval '1 day' END
FROM public.accounts AS a
WHERE a.id <= 2000;

-- statuses: the permutation x = (g * 7919) % 20000 spreads authors, x*x skews
-- them towards low account ids (popular accounts).
INSERT INTO public.statuses (id, account_id, in_reply_to_id, text, spoiler_text, language, visibility, sensitive, uri, created_at, updated_at)
SELECT s.g,
       1 + (s.x::bigint * s.x) / 200000,
       CASE WHEN s.g % 5 = 0 AND s.g > 10 THEN 1 + (s.g * 31) % (s.g - 1) END,
       (ARRAY['Hello fediverse 👋',
              'Good morning! ☕ Time for coffee.',
              'Just migrated my database with pg_dump -Fd 🐘',
              'Caturday! 🐱🐱🐱',
              '今日はいい天気ですね 🌞',
              'Привет всем! Как дела?',
              'Ünïcödé is fun: naïve café, façade, Zürich',
              'مرحبا بالعالم',
              'Quote: "it works on my machine" — everyone',
              E'Multi-line toot\nsecond line\n\tindented with a tab',
              'Backslashes \ and more \\ and a path C:\temp',
              'Emoji storm 🎉🚀✨🔥💯👍🏽'])[1 + s.g % 12]
         || ' #' || (ARRAY['postgres', 'caturday', 'coffee', 'fediverse', 'rust', 'hiking'])[1 + (s.g / 7) % 6]
         || ' (' || s.g || ')',
       CASE WHEN s.g % 23 = 0 THEN 'CW: spoilers ⚠️' ELSE '' END,
       (ARRAY['en', 'en', 'de', 'ja', 'ru', 'fr', 'ar'])[1 + s.g % 7],
       (s.g % 13 = 0)::int + (s.g % 29 = 0)::int * 2,
       s.g % 23 = 0,
       'https://demo.example/users/' || (1 + (s.x::bigint * s.x) / 200000) || '/statuses/' || s.g,
       timestamptz '2023-01-01 00:00:00+00' + s.g * interval '17 minutes 23 seconds',
       timestamptz '2023-01-01 00:00:00+00' + s.g * interval '17 minutes 23 seconds'
FROM (SELECT g, (g * 7919) % 20000 AS x FROM generate_series(1, 20000) AS g) AS s;

UPDATE public.statuses AS s
SET in_reply_to_account_id = p.account_id
FROM public.statuses AS p
WHERE p.id = s.in_reply_to_id;

-- follows: 15 distinct non-zero offsets per account (k * 131 + c, c <= 102),
-- so pairs are unique and nobody follows themselves.
INSERT INTO public.follows (id, account_id, target_account_id, show_reblogs, created_at)
SELECT (a - 1) * 15 + k,
       a,
       1 + (a - 1 + 1 + (k * 131 + (a % 7) * 17) % 1999) % 2000,
       (a + k) % 9 <> 0,
       timestamptz '2023-01-01 00:00:00+00' + ((a - 1) * 15 + k) * interval '11 minutes'
FROM generate_series(1, 2000) AS a
CROSS JOIN generate_series(1, 15) AS k;

-- favourites: 12 or 13 per account on distinct statuses
INSERT INTO public.favourites (id, account_id, status_id, created_at)
SELECT f.g,
       1 + (f.g - 1) % 2000,
       1 + ((f.g - 1) / 2000 * 1601 + ((f.g - 1) % 2000) * 7) % 20000,
       timestamptz '2023-02-01 00:00:00+00' + f.g * interval '13 minutes'
FROM generate_series(1, 25000) AS f (g);

INSERT INTO public.tags (id, name)
SELECT row_number() OVER (ORDER BY n), n
FROM unnest(ARRAY['postgres', 'caturday', 'coffee', 'fediverse', 'rust', 'hiking',
                  'Photography', 'MusicMonday', 'café', '日本', 'FOSS', 'Migration']) AS n;

INSERT INTO public.statuses_tags (status_id, tag_id)
SELECT s.id, t.id
FROM public.statuses AS s
JOIN public.tags AS t ON t.name = (ARRAY['postgres', 'caturday', 'coffee', 'fediverse', 'rust', 'hiking'])[1 + (s.id / 7) % 6]
WHERE s.id % 3 = 0;

-- media attachments: 50 deterministic "PNG" files (9 to 58 KiB) as large objects
INSERT INTO public.media_attachments (id, status_id, account_id, file_oid, file_content_type, file_file_size, file_sha256, description, created_at)
SELECT m.i,
       st.id,
       st.account_id,
       lo_from_bytea(5000000 + m.i, m.data),
       'image/png',
       length(m.data),
       encode(public.digest(m.data, 'sha256'), 'hex'),
       'Picture ' || m.i || ' — ' || (ARRAY['sunset 🌅', 'my cat 🐈', 'latte art ☕', 'mountain ⛰️', 'elephant 🐘'])[1 + m.i % 5],
       st.created_at
FROM (
    SELECT i,
           decode('89504e470d0a1a0a', 'hex')
           || (SELECT string_agg(public.digest('media-' || i || '-' || j, 'sha256'), ''::bytea ORDER BY j)
               FROM generate_series(1, 256 + i * 32) AS j) AS data
    FROM generate_series(1, 50) AS i
) AS m
JOIN public.statuses AS st ON st.id = m.i * 397;

INSERT INTO public.account_stats (account_id, statuses_count, following_count, followers_count, last_status_at)
SELECT a.id,
       (SELECT count(*) FROM public.statuses AS s WHERE s.account_id = a.id),
       (SELECT count(*) FROM public.follows AS f WHERE f.account_id = a.id),
       (SELECT count(*) FROM public.follows AS f WHERE f.target_account_id = a.id),
       (SELECT max(s.created_at) FROM public.statuses AS s WHERE s.account_id = a.id)
FROM public.accounts AS a;

-- sequences continue after the generated ids
SELECT setval('public.accounts_id_seq', (SELECT max(id) FROM public.accounts));
SELECT setval('public.users_id_seq', (SELECT max(id) FROM public.users));
SELECT setval('public.statuses_id_seq', (SELECT max(id) FROM public.statuses));
SELECT setval('public.follows_id_seq', (SELECT max(id) FROM public.follows));
SELECT setval('public.favourites_id_seq', (SELECT max(id) FROM public.favourites));
SELECT setval('public.tags_id_seq', (SELECT max(id) FROM public.tags));
SELECT setval('public.media_attachments_id_seq', (SELECT max(id) FROM public.media_attachments));

-- ---------------------------------------------------------------------------
-- A view for the demo UI
-- ---------------------------------------------------------------------------
CREATE VIEW public.public_timeline AS
SELECT s.id, a.username, a.domain, a.display_name, s.text, s.created_at,
       (SELECT count(*) FROM public.favourites AS f WHERE f.status_id = s.id) AS favourites_count
FROM public.statuses AS s
JOIN public.accounts AS a ON a.id = s.account_id
WHERE s.visibility = 0
ORDER BY s.id DESC;
