/* Numbered schema migrations. Never edit an applied migration: add one. */
#include <stdio.h>
#include <string.h>
#include <time.h>

#include "store/db.h"
#include "store/pg_schema.h"
#include "util/buf.h"
#include "util/log.h"

static const char *const migrations[] = {
	/* 1: the foundation */
	"CREATE TABLE settings (key TEXT PRIMARY KEY, value TEXT NOT NULL);"
	"CREATE TABLE counters (name TEXT PRIMARY KEY, value INTEGER NOT NULL);"
	"INSERT INTO counters (name, value) VALUES ('ticket', 0);"
	"CREATE TABLE companies ("
	" id INTEGER PRIMARY KEY,"
	" name TEXT NOT NULL UNIQUE,"
	" domains TEXT NOT NULL DEFAULT '',"
	" license_product TEXT," /* cloud, self_hosted, site_manager */
	" license_plan TEXT,"	 /* free, crm_plus, standard, professional,
				    demo, nfr */
	" license_status TEXT,"	 /* active, expired, none */
	" license_expires_at INTEGER,"
	" license_email TEXT,"
	" partner_tier TEXT," /* bronze, silver, gold */
	" partner_active INTEGER NOT NULL DEFAULT 0,"
	" consultant_id INTEGER REFERENCES users(id),"
	" max_contacts INTEGER NOT NULL DEFAULT 3,"
	" created_at INTEGER NOT NULL);"
	"CREATE TABLE users ("
	" id INTEGER PRIMARY KEY,"
	" email TEXT NOT NULL UNIQUE,"
	" name TEXT NOT NULL,"
	" role TEXT NOT NULL CHECK (role IN"
	"  ('customer','agent','supervisor','admin')),"
	" company_id INTEGER REFERENCES companies(id),"
	" is_contact INTEGER NOT NULL DEFAULT 0," /* endorsed support contact */
	" lang TEXT NOT NULL DEFAULT 'es',"
	" password_hash TEXT,"
	" position TEXT, phone TEXT,"
	" verified_at INTEGER,"
	" disabled INTEGER NOT NULL DEFAULT 0,"
	" created_at INTEGER NOT NULL);"
	"CREATE INDEX users_company ON users (company_id);"
	"CREATE TABLE tickets ("
	" id INTEGER PRIMARY KEY,"
	" number INTEGER NOT NULL UNIQUE,"
	" subject TEXT NOT NULL,"
	" status TEXT NOT NULL,"
	" category TEXT NOT NULL,"
	" channel TEXT NOT NULL,"
	" requester_id INTEGER NOT NULL REFERENCES users(id),"
	" company_id INTEGER REFERENCES companies(id),"
	" assignee_id INTEGER REFERENCES users(id),"
	" sla_level TEXT NOT NULL,"
	" sla_reason TEXT NOT NULL DEFAULT '',"
	" sla_due_at INTEGER,"
	" user_agent TEXT,"
	" created_at INTEGER NOT NULL,"
	" updated_at INTEGER NOT NULL);"
	"CREATE INDEX tickets_requester ON tickets (requester_id, id);"
	"CREATE INDEX tickets_company ON tickets (company_id, id);"
	"CREATE INDEX tickets_status ON tickets (status, id);"
	"CREATE INDEX tickets_assignee ON tickets (assignee_id, id);"
	"CREATE TABLE messages ("
	" id INTEGER PRIMARY KEY,"
	" ticket_id INTEGER NOT NULL REFERENCES tickets(id),"
	" author_id INTEGER REFERENCES users(id),"
	" kind TEXT NOT NULL CHECK (kind IN"
	"  ('customer','reply','note','system')),"
	" body TEXT NOT NULL,"
	" channel TEXT NOT NULL DEFAULT 'api',"
	" mail_message_id TEXT UNIQUE,"
	" raw_sha256 TEXT,"
	" created_at INTEGER NOT NULL);"
	"CREATE INDEX messages_ticket ON messages (ticket_id, id);"
	"CREATE TABLE attachments ("
	" id INTEGER PRIMARY KEY,"
	" message_id INTEGER NOT NULL REFERENCES messages(id),"
	" ticket_id INTEGER NOT NULL REFERENCES tickets(id),"
	" filename TEXT NOT NULL,"
	" content_type TEXT NOT NULL,"
	" size INTEGER NOT NULL,"
	" sha256 TEXT NOT NULL,"
	" content_id TEXT,"
	" created_at INTEGER NOT NULL);"
	"CREATE INDEX attachments_ticket ON attachments (ticket_id, id);"
	"CREATE TABLE events ("
	" id INTEGER PRIMARY KEY,"
	" ticket_id INTEGER REFERENCES tickets(id),"
	" actor_id INTEGER REFERENCES users(id),"
	" kind TEXT NOT NULL,"
	" data TEXT NOT NULL DEFAULT '{}',"
	" created_at INTEGER NOT NULL);"
	"CREATE INDEX events_ticket ON events (ticket_id, id);"
	"CREATE TRIGGER events_no_update BEFORE UPDATE ON events"
	" BEGIN SELECT RAISE(ABORT, 'events are immutable'); END;"
	"CREATE TRIGGER events_no_delete BEFORE DELETE ON events"
	" BEGIN SELECT RAISE(ABORT, 'events are immutable'); END;"
	"CREATE TABLE outbox ("
	" id INTEGER PRIMARY KEY,"
	" kind TEXT NOT NULL,"
	" ticket_id INTEGER REFERENCES tickets(id),"
	" recipient TEXT,"
	" payload TEXT NOT NULL DEFAULT '{}',"
	" state TEXT NOT NULL DEFAULT 'pending',"
	" attempts INTEGER NOT NULL DEFAULT 0,"
	" next_attempt_at INTEGER NOT NULL,"
	" last_error TEXT,"
	" created_at INTEGER NOT NULL,"
	" sent_at INTEGER);"
	"CREATE INDEX outbox_due ON outbox (state, next_attempt_at);"
	"CREATE TABLE api_tokens ("
	" id INTEGER PRIMARY KEY,"
	" user_id INTEGER NOT NULL REFERENCES users(id),"
	" name TEXT NOT NULL,"
	" token_hash TEXT NOT NULL UNIQUE,"
	" created_at INTEGER NOT NULL,"
	" expires_at INTEGER,"
	" last_used_at INTEGER,"
	" revoked_at INTEGER);",
	/* 2: the SLA engine: calendars, versioned levels, targets, timers */
	"CREATE TABLE calendars ("
	" id INTEGER PRIMARY KEY,"
	" name TEXT NOT NULL UNIQUE,"
	" spec TEXT NOT NULL," /* JSON, see src/sla/bizcal.h */
	" rev TEXT NOT NULL,"  /* random, changes on every edit */
	" updated_at INTEGER NOT NULL);"
	"CREATE TABLE sla_levels ("
	" id INTEGER PRIMARY KEY,"
	" code TEXT NOT NULL,"
	" version INTEGER NOT NULL,"
	" current INTEGER NOT NULL DEFAULT 1,"
	" name_es TEXT NOT NULL, name_en TEXT NOT NULL,"
	" desc_es TEXT NOT NULL, desc_en TEXT NOT NULL,"
	" response_minutes INTEGER," /* NULL: no response clock */
	" clock TEXT NOT NULL DEFAULT 'business',"
	" calendar TEXT NOT NULL DEFAULT 'lima',"
	" review_days INTEGER,"		      /* development: review period */
	" closes INTEGER NOT NULL DEFAULT 0," /* out_of_scope */
	" created_at INTEGER NOT NULL,"
	" UNIQUE (code, version));"
	"ALTER TABLE tickets ADD COLUMN sla_level_id INTEGER"
	" REFERENCES sla_levels(id);"
	"ALTER TABLE tickets ADD COLUMN pending_since INTEGER;"
	"ALTER TABLE tickets ADD COLUMN pending_reminded_at INTEGER;"
	"CREATE TABLE sla_targets ("
	" id INTEGER PRIMARY KEY,"
	" ticket_id INTEGER NOT NULL REFERENCES tickets(id),"
	" level_id INTEGER NOT NULL REFERENCES sla_levels(id),"
	" kind TEXT NOT NULL DEFAULT 'response'," /* response, review */
	" started_at INTEGER NOT NULL,"
	" minutes INTEGER NOT NULL,"
	" due_at INTEGER NOT NULL,"
	" warn_at INTEGER,"
	" paused_at INTEGER,"
	" paused_seconds INTEGER NOT NULL DEFAULT 0,"
	" met_at INTEGER,"
	" used_minutes INTEGER,"
	" warned_at INTEGER,"
	" breached_at INTEGER);"
	"CREATE INDEX sla_targets_ticket ON sla_targets (ticket_id, id);"
	"CREATE INDEX sla_targets_open ON sla_targets (met_at, due_at);",
	/* 3: mail: every Message-ID we stored or sent, the addresses in each
	 * conversation, automatic-answer accounting */
	"CREATE TABLE mail_ids ("
	" message_id TEXT PRIMARY KEY,"
	" ticket_id INTEGER NOT NULL REFERENCES tickets(id),"
	" direction TEXT NOT NULL," /* in, out */
	" created_at INTEGER NOT NULL);"
	"CREATE TABLE mail_participants ("
	" ticket_id INTEGER NOT NULL REFERENCES tickets(id),"
	" address TEXT NOT NULL,"
	" PRIMARY KEY (ticket_id, address));"
	"CREATE TABLE autoreplies ("
	" address TEXT NOT NULL,"
	" sent_at INTEGER NOT NULL);"
	"CREATE INDEX autoreplies_addr ON autoreplies (address, sent_at);"
	"ALTER TABLE messages ADD COLUMN html_sha256 TEXT;"
	"ALTER TABLE attachments ADD COLUMN is_inline INTEGER NOT NULL"
	" DEFAULT 0;"
	"ALTER TABLE outbox ADD COLUMN mail_message_id TEXT;",
	/* 4: accounts (sessions, verification and reset links, login
	 * throttling), company contacts and SLA inclusion requests, the
	 * credentials vault */
	"CREATE TABLE sessions ("
	" id INTEGER PRIMARY KEY,"
	" user_id INTEGER NOT NULL REFERENCES users(id),"
	" id_hash TEXT NOT NULL UNIQUE," /* SHA-256 of the cookie value */
	" created_at INTEGER NOT NULL,"
	" last_seen_at INTEGER NOT NULL,"
	" expires_at INTEGER NOT NULL," /* absolute expiry */
	" client TEXT, user_agent TEXT);"
	"CREATE INDEX sessions_user ON sessions (user_id);"
	"CREATE TABLE account_tokens ("
	" id INTEGER PRIMARY KEY,"
	" user_id INTEGER NOT NULL REFERENCES users(id),"
	" purpose TEXT NOT NULL CHECK (purpose IN ('verify','reset','email')),"
	" token_hash TEXT NOT NULL UNIQUE,"
	" new_email TEXT," /* purpose 'email': the address to confirm */
	" created_at INTEGER NOT NULL,"
	" expires_at INTEGER NOT NULL,"
	" used_at INTEGER);"
	"CREATE INDEX account_tokens_user ON account_tokens (user_id);"
	"CREATE TABLE login_throttle ("
	" key TEXT PRIMARY KEY," /* 'acct:EMAIL' or 'addr:IP' */
	" failures INTEGER NOT NULL,"
	" last_at INTEGER NOT NULL,"
	" locked_until INTEGER NOT NULL DEFAULT 0);"
	"ALTER TABLE users ADD COLUMN company_claimed TEXT;"
	"ALTER TABLE users ADD COLUMN password_changed_at INTEGER;"
	"ALTER TABLE users ADD COLUMN endorsed_by INTEGER REFERENCES users(id);"
	"ALTER TABLE users ADD COLUMN endorsed_at INTEGER;"
	"ALTER TABLE companies ADD COLUMN admin_contact_id INTEGER"
	" REFERENCES users(id);"
	"ALTER TABLE companies ADD COLUMN updated_at INTEGER;"
	"CREATE TABLE inclusion_requests ("
	" ticket_id INTEGER PRIMARY KEY REFERENCES tickets(id),"
	" user_id INTEGER NOT NULL REFERENCES users(id),"
	" kind TEXT NOT NULL CHECK (kind IN ('commercial','non_commercial')),"
	" full_name TEXT NOT NULL,"
	" position TEXT NOT NULL,"
	" company_name TEXT NOT NULL,"
	" consultant TEXT NOT NULL,"
	" contact_data TEXT,"
	" instance TEXT,"
	" state TEXT NOT NULL DEFAULT 'pending'," /* approved, rejected */
	" company_id INTEGER REFERENCES companies(id),"
	" decided_by INTEGER REFERENCES users(id),"
	" decided_at INTEGER,"
	" created_at INTEGER NOT NULL);"
	"CREATE TABLE vault_secrets ("
	" id INTEGER PRIMARY KEY,"
	" ticket_id INTEGER NOT NULL REFERENCES tickets(id),"
	" label TEXT NOT NULL,"
	" nonce TEXT," /* hex; NULL once destroyed */
	" box TEXT,"   /* hex secretbox; NULL once destroyed */
	" created_by INTEGER NOT NULL REFERENCES users(id),"
	" created_at INTEGER NOT NULL,"
	" expires_at INTEGER NOT NULL,"
	" destroyed_at INTEGER,"
	" destroy_reason TEXT," /* expired, ticket_closed, deleted */
	" reads INTEGER NOT NULL DEFAULT 0,"
	" last_read_at INTEGER);"
	"CREATE INDEX vault_ticket ON vault_secrets (ticket_id, id);"
	"CREATE INDEX vault_live ON vault_secrets (destroyed_at, expires_at);",
	/* 5: the whole text of a mail beside its new part; satisfaction
	 * surveys sent when a ticket closes */
	"ALTER TABLE messages ADD COLUMN body_full TEXT;"
	"CREATE TABLE surveys ("
	" id INTEGER PRIMARY KEY,"
	" ticket_id INTEGER NOT NULL REFERENCES tickets(id),"
	" token_hash TEXT NOT NULL UNIQUE,"
	" created_at INTEGER NOT NULL,"
	" answered_at INTEGER,"
	" rating INTEGER CHECK (rating BETWEEN 1 AND 5),"
	" comment TEXT);"
	"CREATE INDEX surveys_ticket ON surveys (ticket_id, id);",
	/* 6: the time zone a person reads times in (NULL: the calendar's) */
	"ALTER TABLE users ADD COLUMN timezone TEXT;",
	/* 7: files uploaded through the API, waiting to be attached to a
	 * message by their owner */
	"CREATE TABLE uploads ("
	" id INTEGER PRIMARY KEY,"
	" user_id INTEGER NOT NULL REFERENCES users(id),"
	" filename TEXT NOT NULL,"
	" content_type TEXT NOT NULL,"
	" size INTEGER NOT NULL,"
	" sha256 TEXT NOT NULL,"
	" created_at INTEGER NOT NULL);"
	"CREATE INDEX uploads_user ON uploads (user_id, id);",
	/* 8: what a ticket carries (policy 7.4): steps to reproduce, the URL
	 * where it happens, product, edition and version; the products and
	 * editions offered are choices an admin edits */
	"ALTER TABLE tickets ADD COLUMN steps TEXT;"
	"ALTER TABLE tickets ADD COLUMN url TEXT;"
	"ALTER TABLE tickets ADD COLUMN product TEXT;"
	"ALTER TABLE tickets ADD COLUMN edition TEXT;"
	"ALTER TABLE tickets ADD COLUMN version TEXT;"
	"CREATE TABLE ticket_choices ("
	" id INTEGER PRIMARY KEY,"
	" field TEXT NOT NULL CHECK (field IN ('product','edition')),"
	" product TEXT NOT NULL DEFAULT ''," /* editions: their product */
	" code TEXT NOT NULL,"
	" name_es TEXT NOT NULL, name_en TEXT NOT NULL,"
	" position INTEGER NOT NULL,"
	" active INTEGER NOT NULL DEFAULT 1,"
	" UNIQUE (field, product, code));"
	"INSERT INTO ticket_choices (field, product, code, name_es, name_en,"
	" position) VALUES"
	" ('product', '', 'bitrix24_cloud', 'Bitrix24 Cloud',"
	"  'Bitrix24 Cloud', 1),"
	" ('product', '', 'bitrix24_self_hosted', 'Bitrix24 Self-Hosted',"
	"  'Bitrix24 Self-Hosted', 2),"
	" ('product', '', 'bitrix_site_manager', 'Bitrix Site Manager',"
	"  'Bitrix Site Manager', 3),"
	" ('edition', 'bitrix24_cloud', 'free', 'Gratis', 'Free', 1),"
	" ('edition', 'bitrix24_cloud', 'basic', 'Basic', 'Basic', 2),"
	" ('edition', 'bitrix24_cloud', 'crm_plus', 'CRM+', 'CRM+', 3),"
	" ('edition', 'bitrix24_cloud', 'standard', 'Standard', 'Standard',"
	"  4),"
	" ('edition', 'bitrix24_cloud', 'professional', 'Professional',"
	"  'Professional', 5),"
	" ('edition', 'bitrix24_cloud', 'enterprise', 'Enterprise',"
	"  'Enterprise', 6),"
	" ('edition', 'bitrix24_self_hosted', 'business', 'Business',"
	"  'Business', 1),"
	" ('edition', 'bitrix24_self_hosted', 'enterprise', 'Enterprise',"
	"  'Enterprise', 2),"
	" ('edition', 'bitrix_site_manager', 'start', 'Start', 'Start', 1),"
	" ('edition', 'bitrix_site_manager', 'standard', 'Standard',"
	"  'Standard', 2),"
	" ('edition', 'bitrix_site_manager', 'small_business',"
	"  'Small Business', 'Small Business', 3),"
	" ('edition', 'bitrix_site_manager', 'business', 'Business',"
	"  'Business', 4);",
	/* 9: mail hardening: a raw message stored once (by its hash), and
	 * outbox claims that expire */
	"CREATE INDEX messages_raw ON messages (raw_sha256);"
	"ALTER TABLE outbox ADD COLUMN claimed_until INTEGER;",
	/* 10: what identifies a company (policy 7.15, 7.1.2): its licence
	 * addresses and instance URLs; the commercial level's rule that only
	 * a licence address gets it (a setting of the level), and an agent's
	 * confirmation of a requester on one ticket */
	"CREATE TABLE company_ids ("
	" company_id INTEGER NOT NULL REFERENCES companies(id),"
	" kind TEXT NOT NULL CHECK (kind IN ('license_email','instance')),"
	" value TEXT NOT NULL,"
	" created_at INTEGER NOT NULL,"
	" PRIMARY KEY (company_id, kind, value));"
	"CREATE INDEX company_ids_value ON company_ids (kind, value);"
	"INSERT INTO company_ids (company_id, kind, value, created_at)"
	" SELECT id, 'license_email', lower(trim(license_email)), created_at"
	" FROM companies WHERE trim(COALESCE(license_email, '')) <> '';"
	"ALTER TABLE sla_levels ADD COLUMN license_email_only INTEGER"
	" NOT NULL DEFAULT 0;"
	"UPDATE sla_levels SET license_email_only = 1"
	" WHERE code = 'commercial';"
	"ALTER TABLE tickets ADD COLUMN license_confirmed_by INTEGER"
	" REFERENCES users(id);",
	/* 11: a company suggested for an unidentified requester, from an
	 * instance URL named in the request or the sender's mail domain */
	"CREATE TABLE ticket_suggestions ("
	" ticket_id INTEGER PRIMARY KEY REFERENCES tickets(id),"
	" company_id INTEGER NOT NULL REFERENCES companies(id),"
	" basis TEXT NOT NULL CHECK (basis IN ('instance','domain')),"
	" value TEXT NOT NULL," /* the host or the domain */
	" state TEXT NOT NULL DEFAULT 'open'"
	"  CHECK (state IN ('open','confirmed','dismissed')),"
	" decided_by INTEGER REFERENCES users(id),"
	" decided_at INTEGER,"
	" created_at INTEGER NOT NULL);",
	/* 12: when a ticket closed (a reply reopens it within reopen_days),
	 * the closed ticket a new one continues, and customers' requests for
	 * a supervisor's review */
	"ALTER TABLE tickets ADD COLUMN closed_at INTEGER;"
	"ALTER TABLE tickets ADD COLUMN continues_id INTEGER"
	" REFERENCES tickets(id);"
	"CREATE TABLE supervisor_reviews ("
	" id INTEGER PRIMARY KEY,"
	" ticket_id INTEGER NOT NULL REFERENCES tickets(id),"
	" requested_by INTEGER NOT NULL REFERENCES users(id),"
	" reason TEXT NOT NULL,"
	" requested_at INTEGER NOT NULL,"
	" answered_by INTEGER REFERENCES users(id),"
	" answered_at INTEGER);"
	"CREATE INDEX supervisor_reviews_ticket ON supervisor_reviews"
	" (ticket_id, id);",
	/* 13: what the system collects (policy 7.4.5, 7.12): the browser's
	 * client hints beside its User-Agent, the info.php output the
	 * customer attached and its summary */
	"ALTER TABLE tickets ADD COLUMN client_hints TEXT;" /* JSON */
	"ALTER TABLE tickets ADD COLUMN server_info TEXT;"
	"ALTER TABLE tickets ADD COLUMN server_summary TEXT;", /* JSON */
	/* 14: mail sent before the outbox forgot its secrets once sent */
	"UPDATE outbox SET payload = json_remove(payload, '$.link',"
	" '$.token') WHERE state IN ('sent', 'failed') AND"
	" json_valid(payload);",
	/* 15: why a ticket has its level, in English too */
	"ALTER TABLE tickets ADD COLUMN sla_reason_en TEXT;",
	/* 16: the agent console's queue views (domain/queue.c), each in
	 * order of arrival from its own index */
	"CREATE INDEX tickets_unsolved ON tickets (id)"
	" WHERE status IN ('new', 'open', 'pending_customer');"
	"CREATE INDEX tickets_unsolved_assignee ON tickets (assignee_id, id)"
	" WHERE status IN ('new', 'open', 'pending_customer');"
	"CREATE INDEX tickets_level ON tickets (sla_level, id);"
	"CREATE INDEX tickets_category ON tickets (category, id);"
	"CREATE INDEX sla_targets_running ON sla_targets (kind, due_at)"
	" WHERE met_at IS NULL;",
	/* 17: the queue's "at risk" view from the running targets whose 80 %
	 * warning has passed */
	"CREATE INDEX sla_targets_warned ON sla_targets (kind, warn_at)"
	" WHERE met_at IS NULL AND paused_at IS NULL;",
	/* 18: the agent console's shared state: drafts per agent, ticket and
	 * kind; who views or writes a ticket now (a heartbeat with an expiry)
	 */
	"CREATE TABLE drafts ("
	" user_id INTEGER NOT NULL REFERENCES users(id),"
	" ticket_id INTEGER NOT NULL REFERENCES tickets(id),"
	" kind TEXT NOT NULL CHECK (kind IN ('reply','note')),"
	" body TEXT NOT NULL,"
	" updated_at INTEGER NOT NULL,"
	" PRIMARY KEY (user_id, ticket_id, kind));"
	"CREATE TABLE presence ("
	" user_id INTEGER NOT NULL REFERENCES users(id),"
	" ticket_id INTEGER NOT NULL REFERENCES tickets(id),"
	" mode TEXT NOT NULL CHECK (mode IN ('viewing','writing')),"
	" until INTEGER NOT NULL,"
	" PRIMARY KEY (user_id, ticket_id));"
	"CREATE INDEX presence_ticket ON presence (ticket_id, until);",
	/* 19: full-text search (store/search.c): subjects, messages,
	 * requesters and companies, accents and case ignored; external
	 * content indexes kept by triggers, built here for existing rows */
	"CREATE VIRTUAL TABLE ticket_fts USING fts5(subject,"
	" content='tickets', content_rowid='id',"
	" tokenize='unicode61 remove_diacritics 2');"
	"CREATE VIRTUAL TABLE message_fts USING fts5(body,"
	" content='messages', content_rowid='id',"
	" tokenize='unicode61 remove_diacritics 2');"
	"CREATE VIRTUAL TABLE user_fts USING fts5(name, email,"
	" content='users', content_rowid='id',"
	" tokenize='unicode61 remove_diacritics 2');"
	"CREATE VIRTUAL TABLE company_fts USING fts5(name,"
	" content='companies', content_rowid='id',"
	" tokenize='unicode61 remove_diacritics 2');"
	"INSERT INTO ticket_fts (ticket_fts) VALUES ('rebuild');"
	"INSERT INTO message_fts (message_fts) VALUES ('rebuild');"
	"INSERT INTO user_fts (user_fts) VALUES ('rebuild');"
	"INSERT INTO company_fts (company_fts) VALUES ('rebuild');"
	"CREATE TRIGGER ticket_fts_ai AFTER INSERT ON tickets BEGIN"
	" INSERT INTO ticket_fts (rowid, subject) VALUES (new.id, new.subject);"
	" END;"
	"CREATE TRIGGER ticket_fts_ad AFTER DELETE ON tickets BEGIN"
	" INSERT INTO ticket_fts (ticket_fts, rowid, subject)"
	" VALUES ('delete', old.id, old.subject); END;"
	"CREATE TRIGGER ticket_fts_au AFTER UPDATE OF subject ON tickets BEGIN"
	" INSERT INTO ticket_fts (ticket_fts, rowid, subject)"
	" VALUES ('delete', old.id, old.subject);"
	" INSERT INTO ticket_fts (rowid, subject) VALUES (new.id, new.subject);"
	" END;"
	"CREATE TRIGGER message_fts_ai AFTER INSERT ON messages BEGIN"
	" INSERT INTO message_fts (rowid, body) VALUES (new.id, new.body);"
	" END;"
	"CREATE TRIGGER message_fts_ad AFTER DELETE ON messages BEGIN"
	" INSERT INTO message_fts (message_fts, rowid, body)"
	" VALUES ('delete', old.id, old.body); END;"
	"CREATE TRIGGER message_fts_au AFTER UPDATE OF body ON messages BEGIN"
	" INSERT INTO message_fts (message_fts, rowid, body)"
	" VALUES ('delete', old.id, old.body);"
	" INSERT INTO message_fts (rowid, body) VALUES (new.id, new.body);"
	" END;"
	"CREATE TRIGGER user_fts_ai AFTER INSERT ON users BEGIN"
	" INSERT INTO user_fts (rowid, name, email)"
	" VALUES (new.id, new.name, new.email); END;"
	"CREATE TRIGGER user_fts_ad AFTER DELETE ON users BEGIN"
	" INSERT INTO user_fts (user_fts, rowid, name, email)"
	" VALUES ('delete', old.id, old.name, old.email); END;"
	"CREATE TRIGGER user_fts_au AFTER UPDATE OF name, email ON users BEGIN"
	" INSERT INTO user_fts (user_fts, rowid, name, email)"
	" VALUES ('delete', old.id, old.name, old.email);"
	" INSERT INTO user_fts (rowid, name, email)"
	" VALUES (new.id, new.name, new.email); END;"
	"CREATE TRIGGER company_fts_ai AFTER INSERT ON companies BEGIN"
	" INSERT INTO company_fts (rowid, name) VALUES (new.id, new.name);"
	" END;"
	"CREATE TRIGGER company_fts_ad AFTER DELETE ON companies BEGIN"
	" INSERT INTO company_fts (company_fts, rowid, name)"
	" VALUES ('delete', old.id, old.name); END;"
	"CREATE TRIGGER company_fts_au AFTER UPDATE OF name ON companies BEGIN"
	" INSERT INTO company_fts (company_fts, rowid, name)"
	" VALUES ('delete', old.id, old.name);"
	" INSERT INTO company_fts (rowid, name) VALUES (new.id, new.name);"
	" END;",
	/* 20: canned answers (domain/macro.c): a text with placeholders, in
	 * Spanish or English, that may set the ticket's status or category
	 * once sent; one name per language */
	"CREATE TABLE macros ("
	" id INTEGER PRIMARY KEY,"
	" name TEXT NOT NULL,"
	" lang TEXT NOT NULL CHECK (lang IN ('es','en')),"
	" body TEXT NOT NULL,"
	" status TEXT,"
	" category TEXT,"
	" created_at INTEGER NOT NULL,"
	" updated_at INTEGER NOT NULL,"
	" UNIQUE (lang, name));",
	/* 21: the knowledge base (domain/kb.c): articles in es and en, their
	 * revisions, what readers did with them, the searches; the full-text
	 * indexes stem Spanish and English (store/fts_stem.c) */
	"CREATE TABLE kb_categories ("
	" id INTEGER PRIMARY KEY,"
	" slug TEXT NOT NULL UNIQUE,"
	" name_es TEXT NOT NULL,"
	" name_en TEXT NOT NULL DEFAULT '',"
	" position INTEGER NOT NULL DEFAULT 0,"
	" created_at INTEGER NOT NULL);"
	"CREATE TABLE kb_articles ("
	" id INTEGER PRIMARY KEY,"
	" category_id INTEGER REFERENCES kb_categories(id),"
	" state TEXT NOT NULL DEFAULT 'draft'"
	"  CHECK (state IN ('draft','published','internal')),"
	" author_id INTEGER NOT NULL REFERENCES users(id),"
	" tags TEXT NOT NULL DEFAULT '',"
	" views INTEGER NOT NULL DEFAULT 0,"
	" helpful_yes INTEGER NOT NULL DEFAULT 0,"
	" helpful_no INTEGER NOT NULL DEFAULT 0,"
	" created_at INTEGER NOT NULL,"
	" updated_at INTEGER NOT NULL,"
	" published_at INTEGER);"
	"CREATE INDEX kb_articles_state ON kb_articles (state, views);"
	"CREATE TABLE kb_texts ("
	" id INTEGER PRIMARY KEY,"
	" article_id INTEGER NOT NULL REFERENCES kb_articles(id),"
	" lang TEXT NOT NULL CHECK (lang IN ('es','en')),"
	" title TEXT NOT NULL,"
	" slug TEXT NOT NULL,"
	" body TEXT NOT NULL,"
	" tags TEXT NOT NULL DEFAULT '',"
	" UNIQUE (article_id, lang));"
	"CREATE TABLE kb_revisions ("
	" id INTEGER PRIMARY KEY,"
	" article_id INTEGER NOT NULL REFERENCES kb_articles(id),"
	" lang TEXT NOT NULL,"
	" title TEXT NOT NULL,"
	" body TEXT NOT NULL,"
	" state TEXT NOT NULL,"
	" author_id INTEGER NOT NULL REFERENCES users(id),"
	" created_at INTEGER NOT NULL);"
	"CREATE INDEX kb_revisions_article ON kb_revisions (article_id, id);"
	/* view, suggest (a suggestion opened from the new-ticket form),
	 * yes, no */
	"CREATE TABLE kb_events ("
	" id INTEGER PRIMARY KEY,"
	" article_id INTEGER NOT NULL REFERENCES kb_articles(id),"
	" kind TEXT NOT NULL,"
	" user_id INTEGER REFERENCES users(id),"
	" created_at INTEGER NOT NULL);"
	"CREATE INDEX kb_events_user ON kb_events (user_id, created_at);"
	"CREATE INDEX kb_events_kind ON kb_events (kind, created_at);"
	"CREATE TABLE kb_searches ("
	" id INTEGER PRIMARY KEY,"
	" q TEXT NOT NULL,"
	" lang TEXT NOT NULL,"
	" source TEXT NOT NULL,"
	" results INTEGER NOT NULL,"
	" created_at INTEGER NOT NULL);"
	"CREATE INDEX kb_searches_time ON kb_searches (created_at);"
	"CREATE VIRTUAL TABLE kb_fts_es USING fts5(title, body, tags,"
	" content='kb_texts', content_rowid='id',"
	" tokenize='ayuda_stem spanish');"
	"CREATE VIRTUAL TABLE kb_fts_en USING fts5(title, body, tags,"
	" content='kb_texts', content_rowid='id',"
	" tokenize='ayuda_stem english');"
	"CREATE VIRTUAL TABLE kb_vocab_es USING fts5vocab(kb_fts_es, 'row');"
	"CREATE VIRTUAL TABLE kb_vocab_en USING fts5vocab(kb_fts_en, 'row');"
	"CREATE TRIGGER kb_texts_ai AFTER INSERT ON kb_texts BEGIN"
	" INSERT INTO kb_fts_es (rowid, title, body, tags)"
	"  SELECT new.id, new.title, new.body, new.tags WHERE new.lang = 'es';"
	" INSERT INTO kb_fts_en (rowid, title, body, tags)"
	"  SELECT new.id, new.title, new.body, new.tags WHERE new.lang = 'en';"
	" END;"
	"CREATE TRIGGER kb_texts_ad AFTER DELETE ON kb_texts BEGIN"
	" INSERT INTO kb_fts_es (kb_fts_es, rowid, title, body, tags)"
	"  SELECT 'delete', old.id, old.title, old.body, old.tags"
	"  WHERE old.lang = 'es';"
	" INSERT INTO kb_fts_en (kb_fts_en, rowid, title, body, tags)"
	"  SELECT 'delete', old.id, old.title, old.body, old.tags"
	"  WHERE old.lang = 'en';"
	" END;"
	"CREATE TRIGGER kb_texts_au AFTER UPDATE ON kb_texts BEGIN"
	" INSERT INTO kb_fts_es (kb_fts_es, rowid, title, body, tags)"
	"  SELECT 'delete', old.id, old.title, old.body, old.tags"
	"  WHERE old.lang = 'es';"
	" INSERT INTO kb_fts_en (kb_fts_en, rowid, title, body, tags)"
	"  SELECT 'delete', old.id, old.title, old.body, old.tags"
	"  WHERE old.lang = 'en';"
	" INSERT INTO kb_fts_es (rowid, title, body, tags)"
	"  SELECT new.id, new.title, new.body, new.tags WHERE new.lang = 'es';"
	" INSERT INTO kb_fts_en (rowid, title, body, tags)"
	"  SELECT new.id, new.title, new.body, new.tags WHERE new.lang = 'en';"
	" END;",
	/* 22: a counter that every change to who may do what raises (a token
	 * or session ended, a user disabled or given another role, company
	 * or language), in the same transaction: a server keeps resolved
	 * tokens and sessions in memory while it stays the same
	 * (http/authcache.c). */
	"CREATE TABLE auth_epoch (id INTEGER PRIMARY KEY CHECK (id = 1),"
	" n INTEGER NOT NULL);"
	"INSERT INTO auth_epoch (id, n) VALUES (1, 0);"
	"CREATE TRIGGER auth_epoch_user_u AFTER UPDATE OF role, company_id,"
	" is_contact, lang, disabled ON users"
	" BEGIN UPDATE auth_epoch SET n = n + 1; END;"
	"CREATE TRIGGER auth_epoch_user_d AFTER DELETE ON users"
	" BEGIN UPDATE auth_epoch SET n = n + 1; END;"
	"CREATE TRIGGER auth_epoch_token_u AFTER UPDATE OF user_id,"
	" token_hash, expires_at, revoked_at ON api_tokens"
	" BEGIN UPDATE auth_epoch SET n = n + 1; END;"
	"CREATE TRIGGER auth_epoch_token_d AFTER DELETE ON api_tokens"
	" BEGIN UPDATE auth_epoch SET n = n + 1; END;"
	"CREATE TRIGGER auth_epoch_session_u AFTER UPDATE OF user_id, id_hash,"
	" expires_at ON sessions BEGIN UPDATE auth_epoch SET n = n + 1; END;"
	"CREATE TRIGGER auth_epoch_session_d AFTER DELETE ON sessions"
	" BEGIN UPDATE auth_epoch SET n = n + 1; END;",
	/* 23: a million tickets (issue 16). The queue's filters read
	 * indexes that carry every filtered column, so a combination is
	 * checked in the index without reading the ticket; the unsolved
	 * tickets have their own small ones. The report reads its period
	 * from indexes, and each ticket keeps the business minutes of its
	 * first response (its first response target's, once met), set by
	 * triggers in the transaction that changes the target (rebuilt by
	 * "ayuda reports rebuild", domain/report.c). docs/queries.md */
	"DROP INDEX tickets_status;"
	"CREATE INDEX tickets_status ON tickets (status, id, category,"
	" sla_level, assignee_id, company_id);"
	"DROP INDEX tickets_category;"
	"CREATE INDEX tickets_category ON tickets (category, id, status,"
	" sla_level, assignee_id, company_id);"
	"DROP INDEX tickets_level;"
	"CREATE INDEX tickets_level ON tickets (sla_level, id, status,"
	" category, assignee_id, company_id);"
	"DROP INDEX tickets_assignee;"
	"CREATE INDEX tickets_assignee ON tickets (assignee_id, id, status,"
	" category, sla_level, company_id);"
	"DROP INDEX tickets_company;"
	"CREATE INDEX tickets_company ON tickets (company_id, id, status,"
	" category, sla_level, assignee_id);"
	"DROP INDEX tickets_unsolved;"
	"CREATE INDEX tickets_unsolved ON tickets (id, status, category,"
	" sla_level, assignee_id, company_id)"
	" WHERE status IN ('new', 'open', 'pending_customer');"
	"DROP INDEX tickets_unsolved_assignee;"
	"CREATE INDEX tickets_unsolved_assignee ON tickets (assignee_id, id,"
	" status, category, sla_level, company_id)"
	" WHERE status IN ('new', 'open', 'pending_customer');"
	"CREATE INDEX tickets_unsolved_status ON tickets (status, id,"
	" category, sla_level, assignee_id, company_id)"
	" WHERE status IN ('new', 'open', 'pending_customer');"
	"CREATE INDEX tickets_unsolved_category ON tickets (category, id,"
	" status, sla_level, assignee_id, company_id)"
	" WHERE status IN ('new', 'open', 'pending_customer');"
	"CREATE INDEX tickets_unsolved_level ON tickets (sla_level, id,"
	" status, category, assignee_id, company_id)"
	" WHERE status IN ('new', 'open', 'pending_customer');"
	"CREATE INDEX tickets_unsolved_company ON tickets (company_id, id,"
	" status, category, sla_level, assignee_id)"
	" WHERE status IN ('new', 'open', 'pending_customer');"
	"DROP INDEX sla_targets_running;"
	"CREATE INDEX sla_targets_running ON sla_targets (kind, due_at,"
	" ticket_id, paused_at) WHERE met_at IS NULL;"
	"DROP INDEX sla_targets_warned;"
	"CREATE INDEX sla_targets_warned ON sla_targets (kind, warn_at,"
	" due_at, ticket_id) WHERE met_at IS NULL AND paused_at IS NULL;"
	"ALTER TABLE tickets ADD COLUMN first_response_minutes INTEGER;"
	"UPDATE tickets SET first_response_minutes = (SELECT CASE WHEN"
	" met_at IS NOT NULL THEN COALESCE(used_minutes, 0) END FROM"
	" sla_targets WHERE ticket_id = tickets.id AND kind = 'response'"
	" ORDER BY id LIMIT 1);"
	"CREATE TRIGGER sla_targets_first_ai AFTER INSERT ON sla_targets"
	" WHEN new.kind = 'response' BEGIN"
	" UPDATE tickets SET first_response_minutes = (SELECT CASE WHEN"
	" met_at IS NOT NULL THEN COALESCE(used_minutes, 0) END FROM"
	" sla_targets WHERE ticket_id = new.ticket_id AND kind ="
	" 'response' ORDER BY id LIMIT 1) WHERE id = new.ticket_id;"
	" END;"
	"CREATE TRIGGER sla_targets_first_ad AFTER DELETE ON sla_targets"
	" WHEN old.kind = 'response' BEGIN"
	" UPDATE tickets SET first_response_minutes = (SELECT CASE WHEN"
	" met_at IS NOT NULL THEN COALESCE(used_minutes, 0) END FROM"
	" sla_targets WHERE ticket_id = old.ticket_id AND kind ="
	" 'response' ORDER BY id LIMIT 1) WHERE id = old.ticket_id;"
	" END;"
	"CREATE TRIGGER sla_targets_first_au AFTER UPDATE OF ticket_id, kind,"
	" met_at, used_minutes ON sla_targets BEGIN"
	" UPDATE tickets SET first_response_minutes = (SELECT CASE WHEN"
	" met_at IS NOT NULL THEN COALESCE(used_minutes, 0) END FROM"
	" sla_targets WHERE ticket_id = old.ticket_id AND kind ="
	" 'response' ORDER BY id LIMIT 1) WHERE id = old.ticket_id;"
	" UPDATE tickets SET first_response_minutes = (SELECT CASE WHEN"
	" met_at IS NOT NULL THEN COALESCE(used_minutes, 0) END FROM"
	" sla_targets WHERE ticket_id = new.ticket_id AND kind ="
	" 'response' ORDER BY id LIMIT 1) WHERE id = new.ticket_id;"
	" END;"
	"CREATE INDEX tickets_created ON tickets (created_at, sla_level,"
	" category, first_response_minutes);"
	"CREATE INDEX sla_targets_started ON sla_targets (kind, started_at,"
	" met_at, due_at, breached_at);"
	"CREATE INDEX surveys_answered ON surveys (answered_at, rating);"
	"CREATE INDEX supervisor_reviews_requested ON supervisor_reviews"
	" (requested_at);"
	"CREATE INDEX supervisor_reviews_answered ON supervisor_reviews"
	" (answered_at);",
	/* 24: a new response target leaves the first response of its ticket
	 * as it was when it is not met and the ticket has none yet (a ticket
	 * being created): no second write of the ticket */
	"DROP TRIGGER sla_targets_first_ai;"
	"CREATE TRIGGER sla_targets_first_ai AFTER INSERT ON sla_targets"
	" WHEN new.kind = 'response' AND (new.met_at IS NOT NULL OR"
	" (SELECT first_response_minutes FROM tickets WHERE id ="
	" new.ticket_id) IS NOT NULL) BEGIN"
	" UPDATE tickets SET first_response_minutes = (SELECT CASE WHEN"
	" met_at IS NOT NULL THEN COALESCE(used_minutes, 0) END FROM"
	" sla_targets WHERE ticket_id = new.ticket_id AND kind ="
	" 'response' ORDER BY id LIMIT 1) WHERE id = new.ticket_id;"
	" END;",
	/* 25: who may read each message, in the search index
	 * (store/search.c): a second column "scope" holds "u<requester>
	 * c<company>" of its ticket, or "staff" for an internal note, so a
	 * customer's search matches their words AND their scope in FTS5
	 * itself instead of reading every match to drop what is not theirs.
	 * The content is a view over messages and tickets; triggers follow
	 * a message and a ticket changing hands. */
	"DROP TRIGGER message_fts_ai;"
	"DROP TRIGGER message_fts_ad;"
	"DROP TRIGGER message_fts_au;"
	"DROP TABLE message_fts;"
	"CREATE VIEW message_search AS SELECT m.id AS id, m.body AS body,"
	" CASE WHEN m.kind = 'note' THEN 'staff' ELSE 'u' || t.requester_id"
	" || COALESCE(' c' || t.company_id, '') END AS scope"
	" FROM messages m JOIN tickets t ON t.id = m.ticket_id;"
	"CREATE VIRTUAL TABLE message_fts USING fts5(body, scope,"
	" content='message_search', content_rowid='id',"
	" tokenize='unicode61 remove_diacritics 2');"
	"INSERT INTO message_fts (message_fts) VALUES ('rebuild');"
	"CREATE TRIGGER message_fts_ai AFTER INSERT ON messages BEGIN"
	" INSERT INTO message_fts (rowid, body, scope)"
	" SELECT id, body, scope FROM message_search WHERE id = new.id; END;"
	"CREATE TRIGGER message_fts_ad AFTER DELETE ON messages BEGIN"
	" INSERT INTO message_fts (message_fts, rowid, body, scope)"
	" SELECT 'delete', old.id, old.body, CASE WHEN old.kind = 'note'"
	" THEN 'staff' ELSE 'u' || t.requester_id"
	" || COALESCE(' c' || t.company_id, '') END"
	" FROM tickets t WHERE t.id = old.ticket_id; END;"
	"CREATE TRIGGER message_fts_au AFTER UPDATE OF body, kind, ticket_id"
	" ON messages BEGIN"
	" INSERT INTO message_fts (message_fts, rowid, body, scope)"
	" SELECT 'delete', old.id, old.body, CASE WHEN old.kind = 'note'"
	" THEN 'staff' ELSE 'u' || t.requester_id"
	" || COALESCE(' c' || t.company_id, '') END"
	" FROM tickets t WHERE t.id = old.ticket_id;"
	" INSERT INTO message_fts (rowid, body, scope)"
	" SELECT id, body, scope FROM message_search WHERE id = new.id; END;"
	"CREATE TRIGGER message_fts_scope AFTER UPDATE OF requester_id,"
	" company_id ON tickets WHEN old.requester_id IS NOT"
	" new.requester_id OR old.company_id IS NOT new.company_id BEGIN"
	" INSERT INTO message_fts (message_fts, rowid, body, scope)"
	" SELECT 'delete', m.id, m.body, CASE WHEN m.kind = 'note'"
	" THEN 'staff' ELSE 'u' || old.requester_id"
	" || COALESCE(' c' || old.company_id, '') END"
	" FROM messages m WHERE m.ticket_id = old.id;"
	" INSERT INTO message_fts (rowid, body, scope)"
	" SELECT s.id, s.body, s.scope FROM message_search s"
	" JOIN messages m ON m.id = s.id WHERE m.ticket_id = new.id; END;",
	/* 26: the supervisor's dashboard counts the tickets solved in a
	 * period from their status changes (domain/report_figure.c) */
	"CREATE INDEX events_status_time ON events (created_at, ticket_id)"
	" WHERE kind = 'ticket.status';",
	/* 27: images and files of knowledge-base articles, taken over from
	 * the team's uploads and served to anyone at /kb/archivos/ID */
	"CREATE TABLE kb_files ("
	" id INTEGER PRIMARY KEY,"
	" filename TEXT NOT NULL,"
	" content_type TEXT NOT NULL,"
	" size INTEGER NOT NULL,"
	" sha256 TEXT NOT NULL,"
	" user_id INTEGER NOT NULL REFERENCES users(id),"
	" created_at INTEGER NOT NULL);",
	/* 28: a version of an SLA level is immutable (only "current" moves
	 * to the next one), says who made it (taken, for the versions made
	 * before, from their audit events), and its open tickets are
	 * counted from an index (domain/sla_version.c) */
	"ALTER TABLE sla_levels ADD COLUMN created_by INTEGER"
	" REFERENCES users(id);"
	"UPDATE sla_levels SET created_by = (SELECT e.actor_id FROM events e"
	" WHERE e.ticket_id IS NULL AND e.kind = 'sla_level.changed' AND"
	" json_extract(e.data, '$.level') = sla_levels.code AND"
	" json_extract(e.data, '$.after.version') = sla_levels.version"
	" ORDER BY e.id DESC LIMIT 1) WHERE version > 1;"
	"CREATE TRIGGER sla_levels_immutable BEFORE UPDATE OF code, version,"
	" name_es, name_en, desc_es, desc_en, response_minutes, clock,"
	" calendar, review_days, closes, license_email_only, created_at,"
	" created_by ON sla_levels BEGIN SELECT RAISE(ABORT,"
	" 'a version of an SLA level is immutable: save a new one'); END;"
	"CREATE TRIGGER sla_levels_no_delete BEFORE DELETE ON sla_levels"
	" BEGIN SELECT RAISE(ABORT,"
	" 'a version of an SLA level is immutable: save a new one'); END;"
	"CREATE INDEX tickets_unsolved_level_version ON tickets"
	" (sla_level_id, id)"
	" WHERE status IN ('new', 'open', 'pending_customer');",
	/* 29: several servers on one database (issue 14, docs/scaling.md):
	 * which server holds each outbox claim (a restarted server frees its
	 * own at once, never another's), and the leases of the jobs one
	 * server at a time runs (the SLA jobs, IMAP polling). */
	"ALTER TABLE outbox ADD COLUMN claimed_by TEXT;"
	"CREATE TABLE job_leases ("
	" name TEXT PRIMARY KEY,"
	" holder TEXT NOT NULL,"
	" until_at BIGINT NOT NULL);",
	/* 30: the writer's batch indexes its new tickets and messages for
	 * search once, before its commit (store/sqlite.c sq_batch_end):
	 * while fts_defer.defer is 1 (only inside a batch's transaction:
	 * never committed so) the insert triggers queue the row in
	 * fts_pending instead of writing FTS5, which flushed its terms at
	 * every statement of every job. A queued row about to change or go
	 * is indexed first (the BEFORE triggers), so the triggers of
	 * migrations 19 and 25 find it in the index as they always did. */
	"CREATE TABLE fts_defer (defer INTEGER NOT NULL);"
	"INSERT INTO fts_defer (defer) VALUES (0);"
	"CREATE TABLE fts_pending (kind INTEGER NOT NULL, id INTEGER NOT NULL,"
	" PRIMARY KEY (kind, id)) WITHOUT ROWID;"
	"DROP TRIGGER ticket_fts_ai;"
	"DROP TRIGGER message_fts_ai;"
	"CREATE TRIGGER ticket_fts_ai AFTER INSERT ON tickets"
	" WHEN (SELECT defer FROM fts_defer) = 0 BEGIN"
	" INSERT INTO ticket_fts (rowid, subject) VALUES (new.id, new.subject);"
	" END;"
	"CREATE TRIGGER message_fts_ai AFTER INSERT ON messages"
	" WHEN (SELECT defer FROM fts_defer) = 0 BEGIN"
	" INSERT INTO message_fts (rowid, body, scope)"
	" SELECT id, body, scope FROM message_search WHERE id = new.id; END;"
	"CREATE TRIGGER ticket_fts_aq AFTER INSERT ON tickets"
	" WHEN (SELECT defer FROM fts_defer) <> 0 BEGIN"
	" INSERT INTO fts_pending (kind, id) VALUES (1, new.id); END;"
	"CREATE TRIGGER message_fts_aq AFTER INSERT ON messages"
	" WHEN (SELECT defer FROM fts_defer) <> 0 BEGIN"
	" INSERT INTO fts_pending (kind, id) VALUES (2, new.id); END;"
	"CREATE TRIGGER ticket_fts_bu BEFORE UPDATE OF subject ON tickets"
	" WHEN EXISTS (SELECT 1 FROM fts_pending WHERE kind = 1"
	" AND id = old.id) BEGIN"
	" INSERT INTO ticket_fts (rowid, subject) VALUES (old.id, old.subject);"
	" DELETE FROM fts_pending WHERE kind = 1 AND id = old.id; END;"
	"CREATE TRIGGER ticket_fts_bd BEFORE DELETE ON tickets"
	" WHEN EXISTS (SELECT 1 FROM fts_pending WHERE kind = 1"
	" AND id = old.id) BEGIN"
	" DELETE FROM fts_pending WHERE kind = 1 AND id = old.id;"
	" INSERT INTO ticket_fts (rowid, subject) VALUES (old.id, old.subject);"
	" END;"
	"CREATE TRIGGER message_fts_bu BEFORE UPDATE OF body, kind, ticket_id"
	" ON messages WHEN EXISTS (SELECT 1 FROM fts_pending WHERE kind = 2"
	" AND id = old.id) BEGIN"
	" INSERT INTO message_fts (rowid, body, scope)"
	" SELECT id, body, scope FROM message_search WHERE id = old.id;"
	" DELETE FROM fts_pending WHERE kind = 2 AND id = old.id; END;"
	"CREATE TRIGGER message_fts_bd BEFORE DELETE ON messages"
	" WHEN EXISTS (SELECT 1 FROM fts_pending WHERE kind = 2"
	" AND id = old.id) BEGIN"
	" DELETE FROM fts_pending WHERE kind = 2 AND id = old.id;"
	" INSERT INTO message_fts (rowid, body, scope)"
	" SELECT id, body, scope FROM message_search WHERE id = old.id; END;"
	"CREATE TRIGGER message_fts_bscope BEFORE UPDATE OF requester_id,"
	" company_id ON tickets WHEN old.requester_id IS NOT"
	" new.requester_id OR old.company_id IS NOT new.company_id BEGIN"
	" INSERT INTO message_fts (rowid, body, scope)"
	" SELECT s.id, s.body, s.scope FROM messages m"
	" JOIN fts_pending p ON p.kind = 2 AND p.id = m.id"
	" JOIN message_search s ON s.id = m.id WHERE m.ticket_id = old.id;"
	" DELETE FROM fts_pending WHERE kind = 2 AND id IN"
	" (SELECT id FROM messages WHERE ticket_id = old.id); END;",
	/* 31: the supervisor's dashboard at a million tickets
	 * (domain/report_dash.c): the response targets started in a period
	 * with every column their outcomes read, in one index; the status
	 * changes that solve a ticket in their own (the figure "solved"
	 * names the same condition, so the planner reads it); the unsolved
	 * tickets by arrival, for the backlog's ages; */
	"CREATE INDEX sla_targets_outcome ON sla_targets (kind, started_at,"
	" ticket_id, met_at, due_at, paused_at);"
	"CREATE INDEX events_solved ON events (created_at, ticket_id)"
	" WHERE kind = 'ticket.status' AND"
	" json_extract(data, '$.to') IN ('resolved', 'closed') AND"
	" json_extract(data, '$.from') NOT IN ('resolved', 'closed');"
	"CREATE INDEX tickets_unsolved_age ON tickets (status, created_at,"
	" sla_level, assignee_id) WHERE status IN ('new', 'open',"
	" 'pending_customer');"
	/* the surveys answered in a period with their tickets, and the
	 * latest comments */
	"DROP INDEX surveys_answered;"
	"CREATE INDEX surveys_answered ON surveys (answered_at, rating,"
	" ticket_id);"
	"CREATE INDEX surveys_commented ON surveys (answered_at, id)"
	" WHERE COALESCE(comment, '') <> '';",
	/* 32: the open tickets of each version of a level counted in the
	 * index alone (domain/sla_version.c): it holds the status too */
	"DROP INDEX tickets_unsolved_level_version;"
	"CREATE INDEX tickets_unsolved_level_version ON tickets"
	" (sla_level_id, status)"
	" WHERE status IN ('new', 'open', 'pending_customer');",
	/* 33: a reader who opens an article again within 30 minutes counts
	 * once (domain/kb.c kb_view): the reader of a view, a user ("u12")
	 * or a hash of the address and browser with the day's salt ("a..."),
	 * and that salt, forgotten the next day */
	"ALTER TABLE kb_events ADD COLUMN reader TEXT;"
	"CREATE INDEX kb_events_reader ON kb_events (article_id, reader,"
	" created_at) WHERE kind = 'view';"
	"CREATE TABLE kb_salts (day INTEGER PRIMARY KEY, salt TEXT NOT NULL);",
	/* 34: stored files in the database (store/blobs.c): always on
	 * PostgreSQL, on SQLite with [store] blobs = database; created_at is
	 * renewed by every store of the same content (the gc's grace). */
	"CREATE TABLE blobs ("
	" sha256 TEXT PRIMARY KEY,"
	" data BLOB NOT NULL,"
	" size BIGINT NOT NULL,"
	" created_at BIGINT NOT NULL);",
	/* 35: /metrics counts tickets by status and mail by state from
	 * counters kept by triggers in the changing transaction (a count of
	 * every row at each scrape took a pass over a million tickets) */
	"CREATE TABLE row_counts (tbl TEXT NOT NULL, key TEXT NOT NULL,"
	" n INTEGER NOT NULL, PRIMARY KEY (tbl, key)) WITHOUT ROWID;"
	"INSERT INTO row_counts (tbl, key, n) SELECT 'tickets', status,"
	" COUNT(*) FROM tickets GROUP BY status;"
	"INSERT INTO row_counts (tbl, key, n) SELECT 'outbox', state,"
	" COUNT(*) FROM outbox GROUP BY state;"
	"CREATE TRIGGER row_counts_tickets_ai AFTER INSERT ON tickets BEGIN"
	" INSERT INTO row_counts (tbl, key, n) VALUES ('tickets', new.status,"
	" 1) ON CONFLICT (tbl, key) DO UPDATE SET n = n + 1; END;"
	"CREATE TRIGGER row_counts_tickets_ad AFTER DELETE ON tickets BEGIN"
	" UPDATE row_counts SET n = n - 1 WHERE tbl = 'tickets'"
	" AND key = old.status; END;"
	"CREATE TRIGGER row_counts_tickets_au AFTER UPDATE OF status ON tickets"
	" WHEN old.status IS NOT new.status BEGIN"
	" UPDATE row_counts SET n = n - 1 WHERE tbl = 'tickets'"
	" AND key = old.status;"
	" INSERT INTO row_counts (tbl, key, n) VALUES ('tickets', new.status,"
	" 1) ON CONFLICT (tbl, key) DO UPDATE SET n = n + 1; END;"
	"CREATE TRIGGER row_counts_outbox_ai AFTER INSERT ON outbox BEGIN"
	" INSERT INTO row_counts (tbl, key, n) VALUES ('outbox', new.state,"
	" 1) ON CONFLICT (tbl, key) DO UPDATE SET n = n + 1; END;"
	"CREATE TRIGGER row_counts_outbox_ad AFTER DELETE ON outbox BEGIN"
	" UPDATE row_counts SET n = n - 1 WHERE tbl = 'outbox'"
	" AND key = old.state; END;"
	"CREATE TRIGGER row_counts_outbox_au AFTER UPDATE OF state ON outbox"
	" WHEN old.state IS NOT new.state BEGIN"
	" UPDATE row_counts SET n = n - 1 WHERE tbl = 'outbox'"
	" AND key = old.state;"
	" INSERT INTO row_counts (tbl, key, n) VALUES ('outbox', new.state,"
	" 1) ON CONFLICT (tbl, key) DO UPDATE SET n = n + 1; END;"
	/* and the response targets breached and not met */
	"INSERT INTO row_counts (tbl, key, n) SELECT 'sla_targets',"
	" 'breached_open', COUNT(*) FROM sla_targets WHERE kind = 'response'"
	" AND met_at IS NULL AND breached_at IS NOT NULL;"
	"CREATE TRIGGER row_counts_breached_ai AFTER INSERT ON sla_targets"
	" WHEN new.kind IS 'response' AND new.met_at IS NULL"
	" AND new.breached_at IS NOT NULL BEGIN"
	" UPDATE row_counts SET n = n + 1 WHERE tbl = 'sla_targets'"
	" AND key = 'breached_open'; END;"
	"CREATE TRIGGER row_counts_breached_ad AFTER DELETE ON sla_targets"
	" WHEN old.kind IS 'response' AND old.met_at IS NULL"
	" AND old.breached_at IS NOT NULL BEGIN"
	" UPDATE row_counts SET n = n - 1 WHERE tbl = 'sla_targets'"
	" AND key = 'breached_open'; END;"
	"CREATE TRIGGER row_counts_breached_au AFTER UPDATE OF kind, met_at,"
	" breached_at ON sla_targets BEGIN"
	" UPDATE row_counts SET n = n"
	" - (old.kind IS 'response' AND old.met_at IS NULL"
	" AND old.breached_at IS NOT NULL)"
	" + (new.kind IS 'response' AND new.met_at IS NULL"
	" AND new.breached_at IS NOT NULL)"
	" WHERE tbl = 'sla_targets' AND key = 'breached_open'; END;",
	/* 36: the portal's list by last activity, newest first, for the
	 * staff (every ticket): read from this index's end instead of
	 * sorting every ticket (2 s at a million) */
	"CREATE INDEX tickets_activity ON tickets (updated_at, id);",
	/* 37: ay_fold(), the case- and accent-blind text the admin's
	 * searches compare: SQLite registers it on every connection
	 * (store/sqlite.c), PostgreSQL keeps it as a function
	 * (store/pg_schema.c) */
	"",
	/* 38: PostgreSQL's knowledge-base index made as SQLite's (the terms
	 * of ayuda_stem, a vocabulary, the counts bm25 needs): its own SQL
	 * only (store/pg_schema.c) */
	"",
	/* 39: PostgreSQL's console search in words as SQLite's (no
	 * stemming, no stop words): its own SQL only (store/pg_schema.c) */
	"",
	/* 40: the transaction that wrote each event. PostgreSQL fills it in
	 * (store/pg_schema.c): there, servers commit events out of id order,
	 * and the console's feed of changes follows transactions
	 * (domain/console.c). NULL on SQLite, whose one writer at a time
	 * commits in id order. */
	"ALTER TABLE events ADD COLUMN tx INTEGER;",
	/* 41: the built-in calendar's title, the name people read (its name
	 * "lima" is a code, in URLs); PostgreSQL's in store/pg_schema.c */
	"UPDATE calendars SET spec = json_set(spec, '$.title',"
	" 'Lima (Perú)') WHERE name = 'lima'"
	" AND json_extract(spec, '$.title') IS NULL;",
	/* 42: PostgreSQL's knowledge-base vocabularies without counts
	 * (store/pg_schema.c) */
	"",
	/* 43: the list by last activity with filters (a status, a category,
	 * an assignee, a company's or a requester's tickets) checks them in
	 * the activity index itself, read from its end
	 * (domain/ticket_query.c): 0.1 - 1.7 s at a million became ~1 ms */
	"DROP INDEX tickets_activity;"
	"CREATE INDEX tickets_activity ON tickets (updated_at, id, status,"
	" category, assignee_id, company_id, requester_id);",
	/* 44: PostgreSQL's knowledge-base search from indexes: titles and
	 * tags apart, the texts' lengths (store/pg_schema.c) */
	"",
	/* 45: the unsolved tickets' partial indexes say "not resolved nor
	 * closed": a list of three in their condition made SQLite build a
	 * temporary table for each of the eight at every insert of a ticket
	 * (half the insert's work); two compare in place. The queries say
	 * the same words (AY_UNSOLVED_SQL in domain/common.h), so that they
	 * read these indexes. */
	"DROP INDEX tickets_unsolved;"
	"CREATE INDEX tickets_unsolved ON tickets (id, status, category,"
	" sla_level, assignee_id, company_id) WHERE status NOT IN"
	" ('resolved', 'closed');"
	"DROP INDEX tickets_unsolved_assignee;"
	"CREATE INDEX tickets_unsolved_assignee ON tickets (assignee_id,"
	" id, status, category, sla_level, company_id) WHERE status NOT IN"
	" ('resolved', 'closed');"
	"DROP INDEX tickets_unsolved_status;"
	"CREATE INDEX tickets_unsolved_status ON tickets (status, id,"
	" category, sla_level, assignee_id, company_id) WHERE status NOT IN"
	" ('resolved', 'closed');"
	"DROP INDEX tickets_unsolved_category;"
	"CREATE INDEX tickets_unsolved_category ON tickets (category, id,"
	" status, sla_level, assignee_id, company_id) WHERE status NOT IN"
	" ('resolved', 'closed');"
	"DROP INDEX tickets_unsolved_level;"
	"CREATE INDEX tickets_unsolved_level ON tickets (sla_level, id,"
	" status, category, assignee_id, company_id) WHERE status NOT IN"
	" ('resolved', 'closed');"
	"DROP INDEX tickets_unsolved_company;"
	"CREATE INDEX tickets_unsolved_company ON tickets (company_id, id,"
	" status, category, sla_level, assignee_id) WHERE status NOT IN"
	" ('resolved', 'closed');"
	"DROP INDEX tickets_unsolved_age;"
	"CREATE INDEX tickets_unsolved_age ON tickets (status, created_at,"
	" sla_level, assignee_id) WHERE status NOT IN ('resolved',"
	" 'closed');"
	"DROP INDEX tickets_unsolved_level_version;"
	"CREATE INDEX tickets_unsolved_level_version ON tickets"
	" (sla_level_id, status) WHERE status NOT IN ('resolved',"
	" 'closed');",
	/* 46: what a ticket's answer shows changes with its view_rev, raised
	 * by triggers in the transaction of any write to the ticket or to
	 * the rows its answer reads; ticket_epoch, by any change to what
	 * many tickets show (people's and companies' names, SLA levels,
	 * calendars). A server keeps each ticket's answer while both stay
	 * (http/ticket_cache.c). PostgreSQL's triggers: store/pg_schema.c */
	"ALTER TABLE tickets ADD COLUMN view_rev INTEGER NOT NULL DEFAULT 0;"
	"CREATE TABLE ticket_epoch (id INTEGER PRIMARY KEY CHECK (id = 1),"
	" n INTEGER NOT NULL);"
	"INSERT INTO ticket_epoch (id, n) VALUES (1, 0);"
	"CREATE TRIGGER view_rev_tickets AFTER UPDATE ON tickets"
	" WHEN new.view_rev = old.view_rev BEGIN"
	" UPDATE tickets SET view_rev = view_rev + 1 WHERE id = new.id; END;"
	"CREATE TRIGGER view_rev_msg_i AFTER INSERT ON messages BEGIN"
	" UPDATE tickets SET view_rev = view_rev + 1"
	" WHERE id = new.ticket_id; END;"
	"CREATE TRIGGER view_rev_msg_u AFTER UPDATE ON messages BEGIN"
	" UPDATE tickets SET view_rev = view_rev + 1"
	" WHERE id IN (old.ticket_id, new.ticket_id); END;"
	"CREATE TRIGGER view_rev_msg_d AFTER DELETE ON messages BEGIN"
	" UPDATE tickets SET view_rev = view_rev + 1"
	" WHERE id = old.ticket_id; END;"
	"CREATE TRIGGER view_rev_att_i AFTER INSERT ON attachments BEGIN"
	" UPDATE tickets SET view_rev = view_rev + 1"
	" WHERE id = new.ticket_id; END;"
	"CREATE TRIGGER view_rev_att_u AFTER UPDATE ON attachments BEGIN"
	" UPDATE tickets SET view_rev = view_rev + 1"
	" WHERE id IN (old.ticket_id, new.ticket_id); END;"
	"CREATE TRIGGER view_rev_att_d AFTER DELETE ON attachments BEGIN"
	" UPDATE tickets SET view_rev = view_rev + 1"
	" WHERE id = old.ticket_id; END;"
	"CREATE TRIGGER view_rev_sla_i AFTER INSERT ON sla_targets BEGIN"
	" UPDATE tickets SET view_rev = view_rev + 1"
	" WHERE id = new.ticket_id; END;"
	"CREATE TRIGGER view_rev_sla_u AFTER UPDATE ON sla_targets BEGIN"
	" UPDATE tickets SET view_rev = view_rev + 1"
	" WHERE id IN (old.ticket_id, new.ticket_id); END;"
	"CREATE TRIGGER view_rev_sla_d AFTER DELETE ON sla_targets BEGIN"
	" UPDATE tickets SET view_rev = view_rev + 1"
	" WHERE id = old.ticket_id; END;"
	"CREATE TRIGGER view_rev_sug_i AFTER INSERT ON ticket_suggestions BEGIN"
	" UPDATE tickets SET view_rev = view_rev + 1"
	" WHERE id = new.ticket_id; END;"
	"CREATE TRIGGER view_rev_sug_u AFTER UPDATE ON ticket_suggestions BEGIN"
	" UPDATE tickets SET view_rev = view_rev + 1"
	" WHERE id IN (old.ticket_id, new.ticket_id); END;"
	"CREATE TRIGGER view_rev_sug_d AFTER DELETE ON ticket_suggestions BEGIN"
	" UPDATE tickets SET view_rev = view_rev + 1"
	" WHERE id = old.ticket_id; END;"
	"CREATE TRIGGER view_rev_rev_i AFTER INSERT ON supervisor_reviews BEGIN"
	" UPDATE tickets SET view_rev = view_rev + 1"
	" WHERE id = new.ticket_id; END;"
	"CREATE TRIGGER view_rev_rev_u AFTER UPDATE ON supervisor_reviews BEGIN"
	" UPDATE tickets SET view_rev = view_rev + 1"
	" WHERE id IN (old.ticket_id, new.ticket_id); END;"
	"CREATE TRIGGER view_rev_rev_d AFTER DELETE ON supervisor_reviews BEGIN"
	" UPDATE tickets SET view_rev = view_rev + 1"
	" WHERE id = old.ticket_id; END;"
	"CREATE TRIGGER ticket_epoch_users_u AFTER UPDATE OF name, email ON "
	"users"
	" BEGIN UPDATE ticket_epoch SET n = n + 1; END;"
	"CREATE TRIGGER ticket_epoch_users_d AFTER DELETE ON users"
	" BEGIN UPDATE ticket_epoch SET n = n + 1; END;"
	"CREATE TRIGGER ticket_epoch_companies_u AFTER UPDATE OF name ON "
	"companies"
	" BEGIN UPDATE ticket_epoch SET n = n + 1; END;"
	"CREATE TRIGGER ticket_epoch_companies_d AFTER DELETE ON companies"
	" BEGIN UPDATE ticket_epoch SET n = n + 1; END;"
	"CREATE TRIGGER ticket_epoch_sla_levels_i AFTER INSERT ON sla_levels"
	" BEGIN UPDATE ticket_epoch SET n = n + 1; END;"
	"CREATE TRIGGER ticket_epoch_sla_levels_u AFTER UPDATE ON sla_levels"
	" BEGIN UPDATE ticket_epoch SET n = n + 1; END;"
	"CREATE TRIGGER ticket_epoch_calendars_i AFTER INSERT ON calendars"
	" BEGIN UPDATE ticket_epoch SET n = n + 1; END;"
	"CREATE TRIGGER ticket_epoch_calendars_u AFTER UPDATE ON calendars"
	" BEGIN UPDATE ticket_epoch SET n = n + 1; END;"
	"CREATE TRIGGER ticket_epoch_calendars_d AFTER DELETE ON calendars"
	" BEGIN UPDATE ticket_epoch SET n = n + 1; END;",
};

int store_schema_latest(void)
{
	return (int)AY_ARRAY_LEN(migrations);
}

int store_schema_version(struct db *db)
{
	struct db_stmt *s = NULL;
	bool row = false;
	int v = 0;

	if (db_run(db, &s, &row,
		   "SELECT COALESCE(MAX(version), 0) FROM schema_migrations",
		   NULL))
		return -1;
	if (row)
		v = (int)db_col_int(s, 0);
	db_reset(s);
	return v;
}

/* Apply migration v in the dialect of db: on PostgreSQL, SQLite's text
 * in its words and then what it does its own way (store/pg_schema.c). */
static ay_rc apply(struct db *db, int v)
{
	const char *extra;
	struct buf b;
	ay_rc rc;

	if (db_dialect(db) != DB_PG)
		return db_exec(db, migrations[v - 1]);
	buf_init(&b, 1 << 20);
	rc = pg_ddl(migrations[v - 1], &b);
	extra = pg_migration_extra(v);
	if (!rc && extra)
		rc = buf_add(&b, extra, strlen(extra));
	if (!rc && b.len)
		rc = db_exec(db, buf_str(&b));
	buf_release(&b);
	return rc;
}

static ay_rc migrate(struct db *db)
{
	ay_rc rc;
	int have;

	rc = db_exec(db, DB_SQL(db,
				"CREATE TABLE IF NOT EXISTS schema_migrations ("
				" version INTEGER PRIMARY KEY,"
				" applied_at INTEGER NOT NULL)",
				"CREATE TABLE IF NOT EXISTS schema_migrations ("
				" version BIGINT PRIMARY KEY,"
				" applied_at BIGINT NOT NULL)"));
	if (rc)
		return rc;
	have = store_schema_version(db);
	if (have < 0)
		return AY_EDB;
	for (int v = have + 1; v <= (int)AY_ARRAY_LEN(migrations); v++) {
		rc = db_begin(db);
		if (rc)
			return rc;
		rc = apply(db, v);
		if (!rc)
			rc = db_run(db, NULL, NULL,
				    "INSERT INTO schema_migrations"
				    " (version, applied_at) VALUES ($1, $2)",
				    "ii", (int64_t)v, (int64_t)time(NULL));
		if (!rc)
			rc = db_commit(db);
		if (rc) {
			db_rollback(db);
			log_error("migration failed", "version=%d", v);
			return rc;
		}
		log_info("migration applied", "version=%d", v);
		/* Each into the database file at once: a new data dir never
		 * holds every migration's pages twice (the log's copies
		 * alone outgrew a 2 MiB disk). Best effort. */
		if (db_exec(db, "PRAGMA wal_checkpoint(TRUNCATE)"))
			log_warn("checkpoint after a migration failed",
				 "version=%d", v);
	}
	return AY_OK;
}

ay_rc store_migrate(struct db *db)
{
	ay_rc rc, urc;

	if (db_dialect(db) != DB_PG)
		return migrate(db);
	/* Servers starting together on one PostgreSQL migrate one at a
	 * time. */
	rc = db_exec(db, "SELECT pg_advisory_lock(hashtext("
			 "'ayuda.migrate.' || current_schema()))");
	if (rc)
		return rc;
	rc = migrate(db);
	urc = db_exec(db, "SELECT pg_advisory_unlock(hashtext("
			  "'ayuda.migrate.' || current_schema()))");
	return rc ? rc : urc;
}
