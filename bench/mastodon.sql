-- A Mastodon-shaped dataset for bench/run.sh: many tables, text and citext columns with indexes
-- under the database's ICU (non-C) collation, foreign keys, jsonb, large objects.
-- Run with: psql -v scale=N -f bench/mastodon.sql  (scale 1 ≈ 200 MB; the bench uses BENCH_MASTODON_SCALE)
\set ON_ERROR_STOP on
CREATE EXTENSION IF NOT EXISTS citext;

CREATE TABLE accounts (
    id bigint PRIMARY KEY, username citext NOT NULL, domain text, display_name text NOT NULL DEFAULT '',
    note text NOT NULL DEFAULT '', uri text NOT NULL, url text, locked boolean NOT NULL DEFAULT false,
    fields jsonb, created_at timestamp NOT NULL, updated_at timestamp NOT NULL);
CREATE UNIQUE INDEX index_accounts_on_username_and_domain_lower ON accounts (lower(username::text), coalesce(lower(domain), ''));
CREATE INDEX index_accounts_on_uri ON accounts (uri);
CREATE INDEX search_index ON accounts (display_name text_pattern_ops);

CREATE TABLE users (
    id bigint PRIMARY KEY, email citext NOT NULL UNIQUE, account_id bigint NOT NULL REFERENCES accounts,
    locale text, settings jsonb, sign_in_count int NOT NULL DEFAULT 0, created_at timestamp NOT NULL);
CREATE INDEX index_users_on_account_id ON users (account_id);

CREATE TABLE statuses (
    id bigint PRIMARY KEY, uri text, text text NOT NULL DEFAULT '', spoiler_text text NOT NULL DEFAULT '',
    account_id bigint NOT NULL REFERENCES accounts, in_reply_to_id bigint, reblog_of_id bigint,
    visibility int NOT NULL DEFAULT 0, language text, sensitive boolean NOT NULL DEFAULT false,
    created_at timestamp NOT NULL, updated_at timestamp NOT NULL);
CREATE UNIQUE INDEX index_statuses_on_uri ON statuses (uri);
CREATE INDEX index_statuses_20190820 ON statuses (account_id, id DESC, visibility, updated_at);
CREATE INDEX index_statuses_on_in_reply_to_id ON statuses (in_reply_to_id) WHERE in_reply_to_id IS NOT NULL;
CREATE INDEX index_statuses_on_reblog_of_id_and_account_id ON statuses (reblog_of_id, account_id);
CREATE INDEX index_statuses_on_language ON statuses (language);

CREATE TABLE tags (id bigint PRIMARY KEY, name citext NOT NULL, display_name text, usable boolean, created_at timestamp NOT NULL);
CREATE UNIQUE INDEX index_tags_on_name_lower ON tags (lower(name::text));
CREATE TABLE statuses_tags (status_id bigint NOT NULL REFERENCES statuses ON DELETE CASCADE, tag_id bigint NOT NULL REFERENCES tags,
    PRIMARY KEY (tag_id, status_id));
CREATE INDEX index_statuses_tags_on_status_id ON statuses_tags (status_id);

CREATE TABLE favourites (id bigint PRIMARY KEY, account_id bigint NOT NULL REFERENCES accounts, status_id bigint NOT NULL REFERENCES statuses,
    created_at timestamp NOT NULL);
CREATE UNIQUE INDEX index_favourites_on_account_id_and_status_id ON favourites (account_id, status_id);
CREATE INDEX index_favourites_on_status_id ON favourites (status_id);

CREATE TABLE follows (id bigint PRIMARY KEY, account_id bigint NOT NULL REFERENCES accounts, target_account_id bigint NOT NULL REFERENCES accounts,
    show_reblogs boolean NOT NULL DEFAULT true, uri text, created_at timestamp NOT NULL);
CREATE UNIQUE INDEX index_follows_on_account_id_and_target_account_id ON follows (account_id, target_account_id);
CREATE INDEX index_follows_on_target_account_id ON follows (target_account_id);

CREATE TABLE notifications (id bigint PRIMARY KEY, activity_id bigint NOT NULL, activity_type text NOT NULL,
    account_id bigint NOT NULL REFERENCES accounts, from_account_id bigint NOT NULL REFERENCES accounts, type text, created_at timestamp NOT NULL);
CREATE INDEX index_notifications_on_account_id_and_id_and_type ON notifications (account_id, id DESC, type);
CREATE INDEX index_notifications_on_activity_id_and_activity_type ON notifications (activity_id, activity_type);

CREATE TABLE media_attachments (id bigint PRIMARY KEY, status_id bigint REFERENCES statuses ON DELETE SET NULL,
    file_file_name text, file_content_type text, file_meta jsonb, remote_url text NOT NULL DEFAULT '', description text,
    blurhash text, account_id bigint REFERENCES accounts, created_at timestamp NOT NULL);
CREATE INDEX index_media_attachments_on_status_id ON media_attachments (status_id);
CREATE INDEX index_media_attachments_on_account_id ON media_attachments (account_id);

CREATE TABLE preview_cards (id bigint PRIMARY KEY, url text NOT NULL, title text NOT NULL DEFAULT '', description text NOT NULL DEFAULT '',
    embed jsonb, provider_name text, created_at timestamp NOT NULL);
CREATE UNIQUE INDEX index_preview_cards_on_url ON preview_cards (url);

CREATE TABLE mentions (id bigint PRIMARY KEY, status_id bigint REFERENCES statuses ON DELETE CASCADE, account_id bigint REFERENCES accounts,
    silent boolean NOT NULL DEFAULT false);
CREATE UNIQUE INDEX index_mentions_on_account_id_and_status_id ON mentions (account_id, status_id);
CREATE INDEX index_mentions_on_status_id ON mentions (status_id);

-- Small tables, many of them, as in the real schema.
CREATE TABLE settings (id bigint PRIMARY KEY, var text NOT NULL, value text, thing_type text, thing_id bigint);
CREATE UNIQUE INDEX index_settings_on_thing_type_and_thing_id_and_var ON settings (thing_type, thing_id, var);
CREATE TABLE web_settings (id bigint PRIMARY KEY, data json, user_id bigint NOT NULL UNIQUE REFERENCES users);
CREATE TABLE blocks (id bigint PRIMARY KEY, account_id bigint NOT NULL REFERENCES accounts, target_account_id bigint NOT NULL REFERENCES accounts);
CREATE UNIQUE INDEX index_blocks_on_account_id_and_target_account_id ON blocks (account_id, target_account_id);
CREATE TABLE mutes (id bigint PRIMARY KEY, account_id bigint NOT NULL REFERENCES accounts, target_account_id bigint NOT NULL REFERENCES accounts);
CREATE UNIQUE INDEX index_mutes_on_account_id_and_target_account_id ON mutes (account_id, target_account_id);
CREATE TABLE lists (id bigint PRIMARY KEY, account_id bigint NOT NULL REFERENCES accounts, title citext NOT NULL);
CREATE TABLE list_accounts (id bigint PRIMARY KEY, list_id bigint NOT NULL REFERENCES lists, account_id bigint NOT NULL REFERENCES accounts);
CREATE UNIQUE INDEX index_list_accounts_on_list_id_and_account_id ON list_accounts (list_id, account_id);
CREATE TABLE custom_emojis (id bigint PRIMARY KEY, shortcode citext NOT NULL, domain citext, image_remote_url text);
CREATE UNIQUE INDEX index_custom_emojis_on_shortcode_and_domain ON custom_emojis (shortcode, domain);
CREATE TABLE instances (domain citext PRIMARY KEY, accounts_count int NOT NULL);
CREATE TABLE backups (id bigint PRIMARY KEY, user_id bigint REFERENCES users, dump oid, created_at timestamp NOT NULL);

INSERT INTO accounts SELECT g, 'user' || g, CASE WHEN g % 3 = 0 THEN NULL ELSE 'instance' || (g % 997) || '.example' END,
       initcap(md5(g::text)), repeat('Bio of ' || g || ' ', 1 + g % 8), 'https://instance.example/users/' || g,
       'https://instance.example/@user' || g, g % 11 = 0,
       jsonb_build_array(jsonb_build_object('name', 'Website', 'value', 'https://' || md5(g::text) || '.example')),
       timestamp '2020-01-01' + g * interval '37 seconds', timestamp '2024-01-01' + g * interval '11 seconds'
  FROM generate_series(1, 20000 * :scale) g;
INSERT INTO users SELECT g, 'User' || g || '@Mail.example', g, (ARRAY['en', 'de', 'fr', 'ja', 'pt-BR'])[1 + g % 5],
       jsonb_build_object('theme', 'dark', 'notify', g % 2 = 0, 'digest', true), g % 500, timestamp '2020-01-01' + g * interval '1 minute'
  FROM generate_series(1, 7000 * :scale) g;
INSERT INTO statuses SELECT g, 'https://instance.example/statuses/' || g,
       (ARRAY['Grüße aus Zürich ', 'Hello fediverse! ', 'Ça va très bien ', '日本語のテキスト ', 'Ünïcödé ßtring '])[1 + g % 5]
           || repeat(md5(g::text) || ' ', 2 + g % 6),
       CASE WHEN g % 17 = 0 THEN 'CW: spoilers' ELSE '' END, 1 + (g::bigint * 7919) % (20000 * :scale),
       CASE WHEN g % 4 = 0 THEN greatest(1, g - 1 - g % 100) END, CASE WHEN g % 9 = 0 THEN greatest(1, g / 2) END,
       g % 4, (ARRAY['en', 'de', 'fr', 'ja', NULL])[1 + g % 5], g % 23 = 0,
       timestamp '2021-01-01' + g * interval '3 seconds', timestamp '2021-01-01' + g * interval '3 seconds'
  FROM generate_series(1, 150000 * :scale) g;
INSERT INTO tags SELECT g, 'Tag' || g, 'Tag' || g, true, now() FROM generate_series(1, 2000 * :scale) g;
INSERT INTO statuses_tags SELECT DISTINCT 1 + (g * 31) % (150000 * :scale), 1 + g % (2000 * :scale) FROM generate_series(1, 100000 * :scale) g;
INSERT INTO favourites SELECT g, 1 + (g * 13) % (20000 * :scale), 1 + (g * 37) % (150000 * :scale), now()
  FROM generate_series(1, 300000 * :scale) g ON CONFLICT DO NOTHING;
INSERT INTO follows SELECT g, 1 + g % (20000 * :scale), 1 + (g / (20000 * :scale) + 1 + g * 3) % (20000 * :scale), true,
       'https://instance.example/follows/' || g, now()
  FROM generate_series(1, 100000 * :scale) g ON CONFLICT DO NOTHING;
INSERT INTO notifications SELECT g, g, (ARRAY['Favourite', 'Follow', 'Mention', 'Status'])[1 + g % 4], 1 + g % (20000 * :scale),
       1 + (g * 7) % (20000 * :scale), (ARRAY['favourite', 'follow', 'mention', 'reblog'])[1 + g % 4], now()
  FROM generate_series(1, 200000 * :scale) g;
INSERT INTO media_attachments SELECT g, 1 + (g * 5) % (150000 * :scale), md5(g::text) || '.png', 'image/png',
       jsonb_build_object('original', jsonb_build_object('width', 1024 + g % 512, 'height', 768, 'size', '1024x768', 'aspect', 1.33),
                          'small', jsonb_build_object('width', 400, 'height', 300), 'focus', jsonb_build_object('x', 0.0, 'y', 0.1)),
       'https://cdn.example/' || md5(g::text) || '.png', 'A picture of ' || md5(g::text), 'UEHLh[WB2yk8pyoJadR*.7kCMdnj', 1 + g % (20000 * :scale), now()
  FROM generate_series(1, 30000 * :scale) g;
INSERT INTO preview_cards SELECT g, 'https://news.example/article/' || g, 'Headline ' || md5(g::text), repeat('Summary ', 10),
       jsonb_build_object('html', '<iframe src="https://video.example/' || g || '"></iframe>', 'width', 640), 'News', now()
  FROM generate_series(1, 5000 * :scale) g;
INSERT INTO mentions SELECT g, 1 + (g * 3) % (150000 * :scale), 1 + (g * 11) % (20000 * :scale), false
  FROM generate_series(1, 50000 * :scale) g ON CONFLICT DO NOTHING;
INSERT INTO settings SELECT g, 'notification_emails', '{"follow":true}', 'User', g FROM generate_series(1, 7000 * :scale) g;
INSERT INTO web_settings SELECT g, '{"onboarded":true,"columns":[{"id":"COMPOSE"},{"id":"HOME"}]}', g FROM generate_series(1, 7000 * :scale) g;
INSERT INTO blocks SELECT g, 1 + g % (20000 * :scale), 1 + (g * 17 + 5) % (20000 * :scale) FROM generate_series(1, 2000 * :scale) g ON CONFLICT DO NOTHING;
INSERT INTO mutes SELECT g, 1 + g % (20000 * :scale), 1 + (g * 19 + 7) % (20000 * :scale) FROM generate_series(1, 2000 * :scale) g ON CONFLICT DO NOTHING;
INSERT INTO lists SELECT g, 1 + g % (20000 * :scale), 'List ' || g FROM generate_series(1, 1000 * :scale) g;
INSERT INTO list_accounts SELECT g, 1 + g % (1000 * :scale), 1 + (g * 29) % (20000 * :scale) FROM generate_series(1, 10000 * :scale) g ON CONFLICT DO NOTHING;
INSERT INTO custom_emojis SELECT g, 'blob' || g, CASE WHEN g % 2 = 0 THEN 'instance' || g || '.example' END, 'https://cdn.example/e/' || g FROM generate_series(1, 500 * :scale) g;
INSERT INTO instances SELECT 'instance' || g || '.example', g FROM generate_series(1, 997) g;
-- Account archives as large objects (64 KiB each).
INSERT INTO backups SELECT g, g, lo_from_bytea(0, convert_to(repeat(md5(g::text), 2048), 'UTF8')), now() FROM generate_series(1, 40 * :scale) g;
