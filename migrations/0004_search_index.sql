-- Full-text search across every kind of record and the sources' text (GET /v1/search).
-- `search_documents` holds one row per live record: its kind and id, the date the date filters
-- use, and the text to search, written by the search indexer inside each write's transaction.
-- `search_index` is an FTS5 index over that table (external content), kept in step by triggers:
-- diacritics folded (unicode61 remove_diacritics 2), with prefix indexes for `extradi*` queries.
-- Custom SQL: drizzle-kit cannot emit virtual tables or triggers. Existing records are indexed on
-- start-up by rebuildSearchIndex (src/search/indexer.ts), since SQL cannot build their documents.
CREATE TABLE `search_documents` (
	`id` integer PRIMARY KEY NOT NULL,
	`kind` text NOT NULL,
	`record_id` text NOT NULL,
	`date` text,
	`title` text NOT NULL,
	`body` text NOT NULL
);
--> statement-breakpoint
CREATE UNIQUE INDEX `search_documents_record_uq` ON `search_documents` (`kind`, `record_id`);--> statement-breakpoint
CREATE VIRTUAL TABLE `search_index` USING fts5(
	`title`,
	`body`,
	content = 'search_documents',
	content_rowid = 'id',
	tokenize = 'unicode61 remove_diacritics 2',
	prefix = '2 3 4'
);
--> statement-breakpoint
CREATE TRIGGER `search_documents_after_insert` AFTER INSERT ON `search_documents` BEGIN
	INSERT INTO `search_index` (`rowid`, `title`, `body`) VALUES (new.`id`, new.`title`, new.`body`);
END;
--> statement-breakpoint
CREATE TRIGGER `search_documents_after_delete` AFTER DELETE ON `search_documents` BEGIN
	INSERT INTO `search_index` (`search_index`, `rowid`, `title`, `body`) VALUES ('delete', old.`id`, old.`title`, old.`body`);
END;
--> statement-breakpoint
CREATE TRIGGER `search_documents_after_update` AFTER UPDATE ON `search_documents` BEGIN
	INSERT INTO `search_index` (`search_index`, `rowid`, `title`, `body`) VALUES ('delete', old.`id`, old.`title`, old.`body`);
	INSERT INTO `search_index` (`rowid`, `title`, `body`) VALUES (new.`id`, new.`title`, new.`body`);
END;
