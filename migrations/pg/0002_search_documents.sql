-- The search documents, one row per live record (src/search/indexer.ts writes them): the ordinary
-- table of SQLite's search (migrations/0004_search_index.sql, with the columns 0013 and 0015
-- added, in their order), and its unique index. Not ported: SQLite's FTS5 index `search_index` and
-- the triggers that keep it in step; PostgreSQL's full-text search will be built on this table.
-- Custom SQL: as in SQLite, this table is not in the schema.
CREATE TABLE "search_documents" (
	"id" integer PRIMARY KEY GENERATED ALWAYS AS IDENTITY,
	"kind" text NOT NULL,
	"record_id" text NOT NULL,
	"date" text,
	"title" text NOT NULL,
	"body" text NOT NULL,
	"date_earliest" text,
	"date_latest" text,
	"keywords" text DEFAULT '' NOT NULL,
	"stems_en" text DEFAULT '' NOT NULL,
	"stems_es" text DEFAULT '' NOT NULL
);
--> statement-breakpoint
CREATE UNIQUE INDEX "search_documents_record_uq" ON "search_documents" USING btree ("kind", "record_id");
