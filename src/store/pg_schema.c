/* PostgreSQL's side of the schema migrations (store/schema.c): each
 * migration runs there as its SQLite text in PostgreSQL's words (pg_ddl),
 * then what PostgreSQL does its own way (pg_migration_extra): what SQLite
 * does with triggers and FTS5 is here PL/pgSQL triggers and GIN indexes
 * over tsvectors (store/pg_search.c). docs/postgresql.md */
#include <string.h>

#include "store/pg_schema.h"

/* SQLite's functions that shared SQL uses, in PostgreSQL: a JSON text's
 * member by a '$.a.b' path, group_concat(text) and instr(); events are
 * immutable (SQLite: RAISE(ABORT) in triggers). */
static const char v1[] =
	"CREATE FUNCTION json_extract(j text, path text) RETURNS text"
	" LANGUAGE sql IMMUTABLE AS $$ SELECT (j::jsonb) #>>"
	" string_to_array(substr(path, 3), '.') $$;"
	"CREATE FUNCTION ay_concat(a text, b text) RETURNS text"
	" LANGUAGE sql IMMUTABLE AS"
	" $$ SELECT CASE WHEN a IS NULL THEN b WHEN b IS NULL THEN a"
	" ELSE a || ',' || b END $$;"
	"CREATE AGGREGATE group_concat(text) (SFUNC = ay_concat,"
	" STYPE = text);"
	"CREATE FUNCTION instr(a text, b text) RETURNS integer"
	" LANGUAGE sql IMMUTABLE AS $$ SELECT strpos(a, b) $$;"
	"CREATE FUNCTION ay_immutable() RETURNS trigger LANGUAGE plpgsql AS"
	" $$ BEGIN RAISE EXCEPTION '%', TG_ARGV[0] USING ERRCODE ="
	" 'integrity_constraint_violation'; END $$;"
	"CREATE TRIGGER events_no_update BEFORE UPDATE ON events"
	" FOR EACH ROW EXECUTE FUNCTION ay_immutable('events are immutable');"
	"CREATE TRIGGER events_no_delete BEFORE DELETE ON events"
	" FOR EACH ROW EXECUTE FUNCTION ay_immutable('events are immutable');";

/* Full-text search: text search configurations that drop accents
 * (unaccent, when the extension can be had) before stemming; GIN indexes
 * over the expressions store/pg_search.c matches. */
static const char v19[] =
	"DO $$ BEGIN CREATE EXTENSION IF NOT EXISTS unaccent;"
	" EXCEPTION WHEN OTHERS THEN NULL; END $$;"
	"CREATE TEXT SEARCH CONFIGURATION ayuda_es (COPY = pg_catalog.spanish);"
	"CREATE TEXT SEARCH CONFIGURATION ayuda_en (COPY = pg_catalog.english);"
	"DO $$ DECLARE ns text; BEGIN"
	" SELECT n.nspname INTO ns FROM pg_ts_dict d JOIN pg_namespace n"
	" ON n.oid = d.dictnamespace WHERE d.dictname = 'unaccent' LIMIT 1;"
	" IF ns IS NOT NULL THEN"
	" EXECUTE format('ALTER TEXT SEARCH CONFIGURATION ayuda_es ALTER"
	" MAPPING FOR hword, hword_part, word WITH %I.unaccent,"
	" spanish_stem', ns);"
	" EXECUTE format('ALTER TEXT SEARCH CONFIGURATION ayuda_en ALTER"
	" MAPPING FOR hword, hword_part, word WITH %I.unaccent,"
	" english_stem', ns);"
	" END IF; END $$;"
	"CREATE INDEX tickets_fts ON tickets USING gin"
	" (to_tsvector('ayuda_es', subject));"
	"CREATE INDEX messages_fts ON messages USING gin"
	" (to_tsvector('ayuda_es', body));"
	"CREATE INDEX users_fts ON users USING gin"
	" (to_tsvector('ayuda_es', name || ' ' || translate(email, '@.',"
	" '  ')));"
	"CREATE INDEX companies_fts ON companies USING gin"
	" (to_tsvector('ayuda_es', name));";

/* The knowledge base's indexes: the title weighs most, then the tags. */
static const char v21[] =
	"CREATE INDEX kb_texts_fts_es ON kb_texts USING gin"
	" ((setweight(to_tsvector('ayuda_es', title), 'A') ||"
	" setweight(to_tsvector('ayuda_es', tags), 'B') ||"
	" setweight(to_tsvector('ayuda_es', body), 'D'))) WHERE lang = 'es';"
	"CREATE INDEX kb_texts_fts_en ON kb_texts USING gin"
	" ((setweight(to_tsvector('ayuda_en', title), 'A') ||"
	" setweight(to_tsvector('ayuda_en', tags), 'B') ||"
	" setweight(to_tsvector('ayuda_en', body), 'D'))) WHERE lang = 'en';";

/* The auth epoch follows tokens, sessions and users. */
static const char v22[] =
	"CREATE FUNCTION ay_auth_epoch() RETURNS trigger LANGUAGE plpgsql AS"
	" $$ BEGIN UPDATE auth_epoch SET n = n + 1; RETURN NULL; END $$;"
	"CREATE TRIGGER auth_epoch_user_u AFTER UPDATE OF role, company_id,"
	" is_contact, lang, disabled ON users"
	" FOR EACH ROW EXECUTE FUNCTION ay_auth_epoch();"
	"CREATE TRIGGER auth_epoch_user_d AFTER DELETE ON users"
	" FOR EACH ROW EXECUTE FUNCTION ay_auth_epoch();"
	"CREATE TRIGGER auth_epoch_token_u AFTER UPDATE OF user_id,"
	" token_hash, expires_at, revoked_at ON api_tokens"
	" FOR EACH ROW EXECUTE FUNCTION ay_auth_epoch();"
	"CREATE TRIGGER auth_epoch_token_d AFTER DELETE ON api_tokens"
	" FOR EACH ROW EXECUTE FUNCTION ay_auth_epoch();"
	"CREATE TRIGGER auth_epoch_session_u AFTER UPDATE OF user_id, id_hash,"
	" expires_at ON sessions FOR EACH ROW EXECUTE FUNCTION ay_auth_epoch();"
	"CREATE TRIGGER auth_epoch_session_d AFTER DELETE ON sessions"
	" FOR EACH ROW EXECUTE FUNCTION ay_auth_epoch();";

/* A ticket's first response minutes follow its first response target. */
static const char v23[] =
	"CREATE FUNCTION ay_first_response(t BIGINT) RETURNS void"
	" LANGUAGE plpgsql AS $$ BEGIN"
	" UPDATE tickets SET first_response_minutes = (SELECT CASE WHEN"
	" met_at IS NOT NULL THEN COALESCE(used_minutes, 0) END FROM"
	" sla_targets WHERE ticket_id = t AND kind = 'response'"
	" ORDER BY id LIMIT 1) WHERE id = t; END $$;"
	"CREATE FUNCTION ay_first_response_ai() RETURNS trigger"
	" LANGUAGE plpgsql AS $$ BEGIN"
	" IF NEW.kind = 'response' THEN"
	" PERFORM ay_first_response(NEW.ticket_id); END IF;"
	" RETURN NULL; END $$;"
	"CREATE TRIGGER sla_targets_first_ai AFTER INSERT ON sla_targets"
	" FOR EACH ROW EXECUTE FUNCTION ay_first_response_ai();"
	"CREATE FUNCTION ay_first_response_ad() RETURNS trigger"
	" LANGUAGE plpgsql AS $$ BEGIN"
	" IF OLD.kind = 'response' THEN"
	" PERFORM ay_first_response(OLD.ticket_id); END IF;"
	" RETURN NULL; END $$;"
	"CREATE TRIGGER sla_targets_first_ad AFTER DELETE ON sla_targets"
	" FOR EACH ROW EXECUTE FUNCTION ay_first_response_ad();"
	"CREATE FUNCTION ay_first_response_au() RETURNS trigger"
	" LANGUAGE plpgsql AS $$ BEGIN"
	" PERFORM ay_first_response(OLD.ticket_id);"
	" IF NEW.ticket_id <> OLD.ticket_id THEN"
	" PERFORM ay_first_response(NEW.ticket_id); END IF;"
	" RETURN NULL; END $$;"
	"CREATE TRIGGER sla_targets_first_au AFTER UPDATE OF ticket_id, kind,"
	" met_at, used_minutes ON sla_targets"
	" FOR EACH ROW EXECUTE FUNCTION ay_first_response_au();";

/* A new response target leaves the first response of a ticket being
 * created as it was. */
static const char v24[] =
	"CREATE OR REPLACE FUNCTION ay_first_response_ai() RETURNS trigger"
	" LANGUAGE plpgsql AS $$ BEGIN"
	" IF NEW.kind = 'response' AND (NEW.met_at IS NOT NULL OR"
	" (SELECT first_response_minutes FROM tickets WHERE id ="
	" NEW.ticket_id) IS NOT NULL) THEN"
	" PERFORM ay_first_response(NEW.ticket_id); END IF;"
	" RETURN NULL; END $$;";

/* A version of an SLA level is immutable. */
static const char v28[] =
	"CREATE TRIGGER sla_levels_immutable BEFORE UPDATE OF code, version,"
	" name_es, name_en, desc_es, desc_en, response_minutes, clock,"
	" calendar, review_days, closes, license_email_only, created_at,"
	" created_by ON sla_levels FOR EACH ROW EXECUTE FUNCTION"
	" ay_immutable('a version of an SLA level is immutable: save a new"
	" one');"
	"CREATE TRIGGER sla_levels_no_delete BEFORE DELETE ON sla_levels"
	" FOR EACH ROW EXECUTE FUNCTION ay_immutable('a version of an SLA"
	" level is immutable: save a new one');";

/* /metrics' counters (SQLite: triggers per table): a row's key leaving
 * or joining its count, and the open breached response targets. */
static const char v35[] =
	"CREATE FUNCTION ay_row_count() RETURNS trigger LANGUAGE plpgsql AS"
	" $$ DECLARE c text := TG_ARGV[0]; ov text; nv text; BEGIN"
	" IF TG_OP <> 'INSERT' THEN ov := to_jsonb(OLD) ->> c; END IF;"
	" IF TG_OP <> 'DELETE' THEN nv := to_jsonb(NEW) ->> c; END IF;"
	" IF ov IS NOT DISTINCT FROM nv THEN RETURN NULL; END IF;"
	" IF ov IS NOT NULL THEN UPDATE row_counts SET n = n - 1"
	" WHERE tbl = TG_TABLE_NAME AND key = ov; END IF;"
	" IF nv IS NOT NULL THEN INSERT INTO row_counts (tbl, key, n)"
	" VALUES (TG_TABLE_NAME, nv, 1) ON CONFLICT (tbl, key)"
	" DO UPDATE SET n = row_counts.n + 1; END IF;"
	" RETURN NULL; END $$;"
	"CREATE TRIGGER row_counts_tickets AFTER INSERT OR DELETE OR UPDATE"
	" OF status ON tickets FOR EACH ROW EXECUTE FUNCTION"
	" ay_row_count('status');"
	"CREATE TRIGGER row_counts_outbox AFTER INSERT OR DELETE OR UPDATE"
	" OF state ON outbox FOR EACH ROW EXECUTE FUNCTION"
	" ay_row_count('state');"
	"CREATE FUNCTION ay_breached_count() RETURNS trigger LANGUAGE plpgsql"
	" AS $$ DECLARE d bigint := 0; BEGIN"
	" IF TG_OP <> 'INSERT' THEN IF OLD.kind = 'response' AND OLD.met_at"
	" IS NULL AND OLD.breached_at IS NOT NULL THEN d := d - 1; END IF;"
	" END IF;"
	" IF TG_OP <> 'DELETE' THEN IF NEW.kind = 'response' AND NEW.met_at"
	" IS NULL AND NEW.breached_at IS NOT NULL THEN d := d + 1; END IF;"
	" END IF;"
	" IF d <> 0 THEN UPDATE row_counts SET n = n + d"
	" WHERE tbl = 'sla_targets' AND key = 'breached_open'; END IF;"
	" RETURN NULL; END $$;"
	"CREATE TRIGGER row_counts_breached AFTER INSERT OR DELETE OR UPDATE"
	" OF kind, met_at, breached_at ON sla_targets FOR EACH ROW EXECUTE"
	" FUNCTION ay_breached_count();";

/* ay_fold(text): SQLite's (util/fold.h) in SQL: lowercase under ICU's
 * root collation when the server has ICU (lower() under the C locale
 * folds ASCII only), after unaccent when the extension is there (v19),
 * else after translate() of the Latin-1 letters. */
static const char v37[] =
	"DO $$ DECLARE ns text; e text; BEGIN"
	" SELECT n.nspname INTO ns FROM pg_proc p JOIN pg_namespace n"
	" ON n.oid = p.pronamespace WHERE p.proname = 'unaccent'"
	" AND p.pronargs = 1 LIMIT 1;"
	" IF ns IS NOT NULL THEN e := format('%I.unaccent(t)', ns);"
	" ELSE e := 'translate(t, ''"
	"\u00c0\u00c1\u00c2\u00c3\u00c4\u00c5\u00c7\u00c8\u00c9"
	"\u00ca\u00cb\u00cc\u00cd\u00ce\u00cf\u00d1\u00d2\u00d3"
	"\u00d4\u00d5\u00d6\u00d8\u00d9\u00da\u00db\u00dc\u00dd"
	"\u00e0\u00e1\u00e2\u00e3\u00e4\u00e5\u00e7\u00e8\u00e9"
	"\u00ea\u00eb\u00ec\u00ed\u00ee\u00ef\u00f1\u00f2\u00f3"
	"\u00f4\u00f5\u00f6\u00f8\u00f9\u00fa\u00fb\u00fc\u00fd"
	"\u00ff'', "
	"''AAAAAACEEEEIIIINOOOOOOUUUUYaaaaaaceeeeiiiinoooooouuuuyy'')';"
	" END IF;"
	" IF EXISTS (SELECT 1 FROM pg_collation WHERE collname = 'und-x-icu')"
	" THEN e := e || ' COLLATE \"und-x-icu\"'; END IF;"
	" EXECUTE format('CREATE FUNCTION ay_fold(t text) RETURNS text"
	" LANGUAGE sql IMMUTABLE STRICT PARALLEL SAFE AS %L',"
	" 'SELECT lower(' || e || ')'); END $$;";

/* ay_kb_fts_put()'s start (v38, v42): text id's terms into kb_fts_doc. */
#define KB_FTS_PUT                                                             \
	" DECLARE cfg regconfig := CASE lg WHEN 'en' THEN 'english'"           \
	" ELSE 'spanish' END; d tsvector; BEGIN"                               \
	" d := setweight(ay_kb_vec(cfg, title), 'A') ||"                       \
	" setweight(ay_kb_vec(cfg, tags), 'B') ||"                             \
	" setweight(ay_kb_vec(cfg, body), 'D');"                               \
	" INSERT INTO kb_fts_doc VALUES (id, lg, d, (SELECT"                   \
	" coalesce(max(p), 0) FROM unnest(d) u, unnest(u.positions) p));"

/* The knowledge base's index as SQLite's (store/fts_stem.c, FTS5): a
 * text's terms are, at each word's place, its stem as written and the stem
 * of the word without accents (accents dropped after stemming) and the word
 * without accents (ay_kb_vec); kb_fts_doc keeps each text's terms (title
 * A, tags B, body D) and its length in words, kb_vocab_es and _en every
 * term with the number of texts that hold it (as SQLite's fts5vocab tables
 * of the same names): what a typo is corrected against and what bm25
 * counts (store/pg_search.c). */
static const char v38[] =
	"CREATE FUNCTION ay_kb_fold(t text) RETURNS text LANGUAGE sql"
	" IMMUTABLE AS $$ SELECT lower(translate(t, "
	"'ÀÁÂÃÄÅÆÇÈÉÊËÌÍÎÏÐÑÒÓÔÕÖØÙÚÛÜÝÞ"
	"àáâãäåæçèéêëìíîïðñòóôõöøùúûüýþÿ', 'AAAAAAACEEEEIIIIDNOOOOOOUUUUYT"
	"aaaaaaaceeeeiiiidnoooooouuuuyty')) $$;"
	"CREATE FUNCTION ay_kb_vec(cfg regconfig, t text) RETURNS tsvector"
	" LANGUAGE sql IMMUTABLE AS $$ SELECT coalesce(string_agg(''''"
	" || replace(replace(l, '\\', '\\\\'), '''', '''''') || ''':'"
	" || p, ' '), '')::tsvector FROM (SELECT l, string_agg(DISTINCT"
	" pos::text, ',') AS p FROM (SELECT ay_kb_fold(lexeme) AS l,"
	" positions FROM unnest(to_tsvector(cfg, t)) UNION ALL SELECT lexeme,"
	" positions FROM unnest(to_tsvector(cfg, ay_kb_fold(t))) UNION ALL"
	" SELECT ay_kb_fold(lexeme), positions FROM unnest(to_tsvector("
	"'simple', t))) u, unnest(u.positions) pos GROUP BY l) x $$;"
	"CREATE TABLE kb_fts_doc (text_id BIGINT PRIMARY KEY,"
	" lang TEXT NOT NULL, doc tsvector NOT NULL, len INTEGER NOT NULL);"
	"CREATE INDEX kb_fts_doc_terms ON kb_fts_doc USING gin (doc);"
	"CREATE TABLE kb_vocab_es (term TEXT COLLATE \"C\" PRIMARY KEY,"
	" doc INTEGER NOT NULL);"
	"CREATE TABLE kb_vocab_en (term TEXT COLLATE \"C\" PRIMARY KEY,"
	" doc INTEGER NOT NULL);"
	"CREATE FUNCTION ay_kb_fts_del(id BIGINT) RETURNS void"
	" LANGUAGE plpgsql AS $$ DECLARE d kb_fts_doc; BEGIN"
	" DELETE FROM kb_fts_doc WHERE text_id = id RETURNING * INTO d;"
	" IF d.lang = 'en' THEN UPDATE kb_vocab_en SET doc = doc - 1"
	" WHERE term = ANY(tsvector_to_array(d.doc));"
	" DELETE FROM kb_vocab_en WHERE term = ANY(tsvector_to_array(d.doc))"
	" AND doc <= 0;"
	" ELSIF d.lang = 'es' THEN UPDATE kb_vocab_es SET doc = doc - 1"
	" WHERE term = ANY(tsvector_to_array(d.doc));"
	" DELETE FROM kb_vocab_es WHERE term = ANY(tsvector_to_array(d.doc))"
	" AND doc <= 0; END IF; END $$;"
	"CREATE FUNCTION ay_kb_fts_put(id BIGINT, lg TEXT, title TEXT,"
	" tags TEXT, body TEXT) RETURNS void LANGUAGE plpgsql AS $$" KB_FTS_PUT
	" IF lg = 'en' THEN INSERT INTO kb_vocab_en SELECT t, 1 FROM"
	" unnest(tsvector_to_array(d)) t ORDER BY t ON CONFLICT (term)"
	" DO UPDATE SET doc = kb_vocab_en.doc + 1;"
	" ELSE INSERT INTO kb_vocab_es SELECT t, 1 FROM"
	" unnest(tsvector_to_array(d)) t ORDER BY t ON CONFLICT (term)"
	" DO UPDATE SET doc = kb_vocab_es.doc + 1; END IF; END $$;"
	"CREATE FUNCTION ay_kb_fts() RETURNS trigger LANGUAGE plpgsql AS"
	" $$ BEGIN IF TG_OP <> 'INSERT' THEN PERFORM ay_kb_fts_del(OLD.id);"
	" END IF; IF TG_OP <> 'DELETE' THEN PERFORM ay_kb_fts_put(NEW.id,"
	" NEW.lang, NEW.title, NEW.tags, NEW.body); END IF;"
	" RETURN NULL; END $$;"
	"CREATE TRIGGER kb_texts_fts AFTER INSERT OR DELETE OR UPDATE OF lang,"
	" title, tags, body ON kb_texts FOR EACH ROW EXECUTE FUNCTION"
	" ay_kb_fts();"
	"SELECT ay_kb_fts_put(id, lang, title, tags, body)"
	" FROM kb_texts;"
	"DROP INDEX kb_texts_fts_es;"
	"DROP INDEX kb_texts_fts_en;";

/* Both searches cut words as SQLite's unicode61 does: at every character
 * that is no letter or digit (ay_words: PostgreSQL's parser would keep
 * "crm.deal.list" or "info.php" whole). The console's search as SQLite's
 * (unicode61 remove_diacritics 2): words without accents and case, no
 * stemming, no stop words (the configuration ayuda_words), the indexes of
 * v19 made again so; the knowledge base's texts indexed again (v38). */
static const char v39[] =
	"CREATE FUNCTION ay_words(t text) RETURNS text LANGUAGE sql IMMUTABLE"
	" AS $$ SELECT translate(t, '!\"#$%&''()*+,-./:;<=>?@[\\]^_`{|}~',"
	" '                                ') $$;"
	"CREATE TEXT SEARCH CONFIGURATION ayuda_words"
	" (COPY = pg_catalog.simple);"
	"DO $$ DECLARE ns text; BEGIN"
	" SELECT n.nspname INTO ns FROM pg_ts_dict d JOIN pg_namespace n"
	" ON n.oid = d.dictnamespace WHERE d.dictname = 'unaccent' LIMIT 1;"
	" IF ns IS NOT NULL THEN"
	" EXECUTE format('ALTER TEXT SEARCH CONFIGURATION ayuda_words ALTER"
	" MAPPING FOR hword, hword_part, word WITH %I.unaccent, simple', ns);"
	" END IF; END $$;"
	"DROP INDEX tickets_fts;"
	"DROP INDEX messages_fts;"
	"DROP INDEX users_fts;"
	"DROP INDEX companies_fts;"
	"CREATE INDEX tickets_fts ON tickets USING gin"
	" (to_tsvector('ayuda_words', ay_words(subject)));"
	"CREATE INDEX messages_fts ON messages USING gin"
	" (to_tsvector('ayuda_words', ay_words(body)));"
	"CREATE INDEX users_fts ON users USING gin"
	" (to_tsvector('ayuda_words', ay_words(name || ' ' || email)));"
	"CREATE INDEX companies_fts ON companies USING gin"
	" (to_tsvector('ayuda_words', ay_words(name)));"
	"CREATE OR REPLACE FUNCTION ay_kb_vec(cfg regconfig, t text)"
	" RETURNS tsvector LANGUAGE sql IMMUTABLE AS $$ WITH s AS (SELECT"
	" ay_words(t) AS w) SELECT coalesce(string_agg('''' ||"
	" replace(replace(l, '\\', '\\\\'), '''', '''''') || ''':' || p,"
	" ' '), '')::tsvector FROM (SELECT l, string_agg(DISTINCT pos::text,"
	" ',') AS p FROM (SELECT ay_kb_fold(lexeme) AS l, positions FROM s,"
	" unnest(to_tsvector(cfg, s.w)) UNION ALL SELECT lexeme, positions"
	" FROM s, unnest(to_tsvector(cfg, ay_kb_fold(s.w))) UNION ALL SELECT"
	" ay_kb_fold(lexeme), positions FROM s, unnest(to_tsvector('simple',"
	" s.w))) u, unnest(u.positions) pos GROUP BY l) x $$;"
	"TRUNCATE kb_fts_doc, kb_vocab_es, kb_vocab_en;"
	"SELECT ay_kb_fts_put(id, lang, title, tags, body) FROM kb_texts;";

/* An event's transaction: its 64-bit id (never wraps), indexed for the
 * console's feed of changes (domain/console.c). */
static const char v40[] =
	"ALTER TABLE events ALTER COLUMN tx SET DEFAULT"
	" (pg_current_xact_id()::text::bigint);"
	"CREATE INDEX events_tx ON events (tx) WHERE tx IS NOT NULL;";

/* SQLite's json_set() of migration 41 (pg_ddl leaves UPDATEs with JSON
 * functions out). */
static const char v41[] =
	"UPDATE calendars SET spec = (spec::jsonb"
	" || '{\"title\": \"Lima (Per\u00fa)\"}'::jsonb)::text"
	" WHERE name = 'lima' AND (spec::jsonb) ->> 'title' IS NULL;";

/* The vocabularies without counts: a text's terms are added unless there
 * (a count raised by every text would rewrite a few rows thousands of
 * times in one transaction, as `ayuda migrate` or v39 do, each write
 * slower than the one before), and a term goes when a changed or deleted
 * text held it and no text holds it any more (asked of the GIN index). */
static const char v42[] =
	"ALTER TABLE kb_vocab_es DROP COLUMN doc;"
	"ALTER TABLE kb_vocab_en DROP COLUMN doc;"
	"CREATE FUNCTION ay_kb_lexeme(t text) RETURNS tsquery LANGUAGE sql"
	" IMMUTABLE AS $$ SELECT ('''' || replace(replace(t, '\\', '\\\\'),"
	" '''', '''''') || '''')::tsquery $$;"
	"CREATE OR REPLACE FUNCTION ay_kb_fts_put(id BIGINT, lg TEXT,"
	" title TEXT, tags TEXT, body TEXT) RETURNS void LANGUAGE plpgsql AS"
	" $$" KB_FTS_PUT
	" IF lg = 'en' THEN INSERT INTO kb_vocab_en SELECT t FROM"
	" unnest(tsvector_to_array(d)) t ORDER BY t ON CONFLICT DO NOTHING;"
	" ELSE INSERT INTO kb_vocab_es SELECT t FROM"
	" unnest(tsvector_to_array(d)) t ORDER BY t ON CONFLICT DO NOTHING;"
	" END IF; END $$;"
	"CREATE OR REPLACE FUNCTION ay_kb_fts() RETURNS trigger"
	" LANGUAGE plpgsql AS $$ DECLARE d kb_fts_doc; BEGIN"
	" IF TG_OP <> 'INSERT' THEN DELETE FROM kb_fts_doc"
	" WHERE text_id = OLD.id RETURNING * INTO d; END IF;"
	" IF TG_OP <> 'DELETE' THEN PERFORM ay_kb_fts_put(NEW.id, NEW.lang,"
	" NEW.title, NEW.tags, NEW.body); END IF;"
	" IF d.lang = 'en' THEN DELETE FROM kb_vocab_en v WHERE v.term ="
	" ANY(tsvector_to_array(d.doc)) AND NOT EXISTS (SELECT 1 FROM"
	" kb_fts_doc f WHERE f.lang = 'en' AND f.doc @@ ay_kb_lexeme(v.term));"
	" ELSIF d.lang = 'es' THEN DELETE FROM kb_vocab_es v WHERE v.term ="
	" ANY(tsvector_to_array(d.doc)) AND NOT EXISTS (SELECT 1 FROM"
	" kb_fts_doc f WHERE f.lang = 'es' AND f.doc @@ ay_kb_lexeme(v.term));"
	" END IF; RETURN NULL; END $$;"
	"DROP FUNCTION ay_kb_fts_del(BIGINT);";

/* The knowledge base's search from indexes (store/pg_search.c): a search
 * of titles and tags asks this index of their terms alone (the whole
 * vector's index holds no weights: such a search read every text that
 * holds the word, in any part, to look at its weights), and the count
 * and average length bm25 needs are read from the second one. */
static const char v44[] =
	"CREATE INDEX kb_fts_doc_ab ON kb_fts_doc USING gin"
	" (ts_filter(doc, '{a,b}'));"
	"CREATE INDEX kb_fts_doc_lang_len ON kb_fts_doc (lang, len);";

/* A ticket's view_rev: raised before its own row is written (no second
 * write of the row), and by the rows its answer reads; ticket_epoch by
 * what many tickets show. */
static const char v46[] =
	"CREATE FUNCTION ay_view_rev_own() RETURNS trigger LANGUAGE plpgsql AS"
	" $$ BEGIN IF NEW.view_rev = OLD.view_rev THEN"
	" NEW.view_rev := OLD.view_rev + 1; END IF; RETURN NEW; END $$;"
	"CREATE TRIGGER view_rev_tickets BEFORE UPDATE ON tickets"
	" FOR EACH ROW EXECUTE FUNCTION ay_view_rev_own();"
	"CREATE FUNCTION ay_view_rev() RETURNS trigger LANGUAGE plpgsql AS"
	" $$ BEGIN IF TG_OP <> 'INSERT' THEN UPDATE tickets SET view_rev ="
	" view_rev + 1 WHERE id = OLD.ticket_id; END IF;"
	" IF TG_OP = 'INSERT' OR (TG_OP = 'UPDATE' AND"
	" NEW.ticket_id <> OLD.ticket_id) THEN UPDATE tickets SET view_rev ="
	" view_rev + 1 WHERE id = NEW.ticket_id; END IF; RETURN NULL; END $$;"
	"CREATE TRIGGER view_rev_msg AFTER INSERT OR UPDATE OR DELETE"
	" ON messages FOR EACH ROW EXECUTE FUNCTION ay_view_rev();"
	"CREATE TRIGGER view_rev_att AFTER INSERT OR UPDATE OR DELETE"
	" ON attachments FOR EACH ROW EXECUTE FUNCTION ay_view_rev();"
	"CREATE TRIGGER view_rev_sla AFTER INSERT OR UPDATE OR DELETE"
	" ON sla_targets FOR EACH ROW EXECUTE FUNCTION ay_view_rev();"
	"CREATE TRIGGER view_rev_sug AFTER INSERT OR UPDATE OR DELETE"
	" ON ticket_suggestions FOR EACH ROW EXECUTE FUNCTION ay_view_rev();"
	"CREATE TRIGGER view_rev_rev AFTER INSERT OR UPDATE OR DELETE"
	" ON supervisor_reviews FOR EACH ROW EXECUTE FUNCTION ay_view_rev();"
	"CREATE FUNCTION ay_ticket_epoch() RETURNS trigger LANGUAGE plpgsql"
	" AS $$ BEGIN UPDATE ticket_epoch SET n = n + 1; RETURN NULL; END $$;"
	"CREATE TRIGGER ticket_epoch_users AFTER UPDATE OF name, email OR"
	" DELETE ON users FOR EACH ROW EXECUTE FUNCTION ay_ticket_epoch();"
	"CREATE TRIGGER ticket_epoch_companies AFTER UPDATE OF name OR DELETE"
	" ON companies FOR EACH ROW EXECUTE FUNCTION ay_ticket_epoch();"
	"CREATE TRIGGER ticket_epoch_sla_levels AFTER INSERT OR UPDATE"
	" ON sla_levels FOR EACH ROW EXECUTE FUNCTION ay_ticket_epoch();"
	"CREATE TRIGGER ticket_epoch_calendars AFTER INSERT OR UPDATE OR"
	" DELETE ON calendars FOR EACH ROW EXECUTE FUNCTION"
	" ay_ticket_epoch();";

static const char *const extra[] = {
	[1] = v1,   [19] = v19, [21] = v21, [22] = v22, [23] = v23, [24] = v24,
	[28] = v28, [35] = v35, [37] = v37, [38] = v38, [39] = v39, [40] = v40,
	[41] = v41, [42] = v42, [44] = v44, [46] = v46,
};

const char *pg_migration_extra(int v)
{
	if (v < 1 || (size_t)v >= sizeof(extra) / sizeof(extra[0]))
		return NULL;
	return extra[v];
}

static bool starts(const char *p, const char *w)
{
	return !strncmp(p, w, strlen(w));
}

static bool is_word_char(char c)
{
	return c == '_' || (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') ||
	       (c >= '0' && c <= '9');
}

/* Whether word w stands at p (not inside a longer word). */
static bool word_at(const char *start, const char *p, const char *w)
{
	return starts(p, w) && (p == start || !is_word_char(p[-1])) &&
	       !is_word_char(p[strlen(w)]);
}

/* Text [p, p + n) with SQLite's types in PostgreSQL's words. */
static ay_rc put_words(const char *p, size_t n, struct buf *out)
{
	const char *end = p + n, *start = p;
	char q = 0;
	ay_rc rc = AY_OK;

	for (; p < end && !rc; p++) {
		if (q || *p == '\'' || *p == '"') {
			q = q ? (*p == q ? 0 : q) : *p;
			rc = buf_addc(out, *p);
		} else if (word_at(start, p, "INTEGER PRIMARY KEY") &&
			   p - start >= 3 && starts(p - 3, "id ")) {
			rc = buf_addf(out, "BIGINT GENERATED BY DEFAULT AS"
					   " IDENTITY PRIMARY KEY");
			p += strlen("INTEGER PRIMARY KEY") - 1;
		} else if (starts(p, " WITHOUT ROWID")) {
			p += strlen(" WITHOUT ROWID") - 1;
		} else if (word_at(start, p, "BLOB")) {
			rc = buf_addf(out, "BYTEA");
			p += strlen("BLOB") - 1;
		} else if (word_at(start, p, "INTEGER")) {
			rc = buf_addf(out, "BIGINT");
			p += strlen("INTEGER") - 1;
		} else {
			rc = buf_addc(out, *p);
		}
	}
	return rc;
}

/* A CREATE TABLE statement [p, p + n) without its columns' REFERENCES,
 * which go to fks as ALTER TABLE statements: PostgreSQL wants a referenced
 * table to exist (companies and users refer to each other). */
static ay_rc put_table(const char *p, size_t n, struct buf *out,
		       struct buf *fks)
{
	const char *end = p + n, *seg = p, *item = NULL;
	const char *name = p + strlen("CREATE TABLE ");
	size_t name_len;
	int depth = 0;
	char q = 0;
	ay_rc rc = AY_OK;

	if (starts(name, "IF NOT EXISTS "))
		name += strlen("IF NOT EXISTS ");
	name_len = strcspn(name, " (");
	for (const char *c = p; c < end && !rc; c++) {
		const char *ref, *col;

		if (q || *c == '\'' || *c == '"') {
			q = q ? (*c == q ? 0 : q) : *c;
		} else if (*c == '(' && ++depth == 1) {
			item = c + 1;
		} else if (*c == ')') {
			depth--;
		} else if (*c == ',' && depth == 1) {
			item = c + 1;
		} else if (depth == 1 && item && starts(c, " REFERENCES ") &&
			   (ref = memchr(c, ')', (size_t)(end - c)))) {
			col = item + strspn(item, " ");
			rc = put_words(seg, (size_t)(c - seg), out);
			if (!rc)
				rc = buf_addf(fks,
					      "ALTER TABLE %.*s ADD FOREIGN KEY"
					      " (%.*s)%.*s;",
					      (int)name_len, name,
					      (int)strcspn(col, " "), col,
					      (int)(ref + 1 - c), c);
			seg = ref + 1;
			c = ref;
		}
	}
	return rc ? rc : put_words(seg, (size_t)(end - seg), out);
}

/* Whether statement p (trimmed) is one PostgreSQL does its own way or has
 * no use for: triggers and views, FTS5 tables and their rows, SQLite's
 * JSON repairs of rows written before (a new PostgreSQL database has
 * none). */
static bool sqlite_only(const char *p, size_t n)
{
	static const char *const heads[] = {
		"CREATE TRIGGER", "DROP TRIGGER", "CREATE VIRTUAL TABLE",
		"CREATE VIEW",	  "DROP VIEW",
	};

	for (size_t i = 0; i < sizeof(heads) / sizeof(heads[0]); i++)
		if (starts(p, heads[i]))
			return true;
	return memmem(p, n, "_fts", 4) ||
	       (starts(p, "UPDATE") && memmem(p, n, "json_", 5));
}

ay_rc pg_ddl(const char *sql, struct buf *out)
{
	struct buf fks;
	bool trigger = false;
	ay_rc rc = AY_OK;

	buf_init(&fks, 1 << 16);
	for (const char *p = sql; *p && !rc;) {
		const char *e = p;
		char q = 0;
		size_t n;

		while (*e && (q || *e != ';')) {
			if (q || *e == '\'' || *e == '"')
				q = q ? (*e == q ? 0 : q) : *e;
			e++;
		}
		p += strspn(p, " \t\n");
		n = (size_t)(e - p);
		/* A trigger's body holds statements: skip to its END. */
		if (!trigger && starts(p, "CREATE TRIGGER"))
			trigger = true;
		if (trigger) {
			trigger = !(n >= 3 && !strncmp(e - 3, "END", 3));
		} else if (n && !sqlite_only(p, n)) {
			rc = starts(p, "CREATE TABLE")
				     ? put_table(p, n, out, &fks)
				     : put_words(p, n, out);
			if (!rc)
				rc = buf_addc(out, ';');
		}
		p = *e ? e + 1 : e;
	}
	if (!rc && fks.len)
		rc = buf_add(out, fks.ptr, fks.len);
	buf_release(&fks);
	return rc;
}
