-- Search that finds what people type (src/search/stemming.ts): the index gains `keywords` (ids,
-- codes and enumerated values, searched but never shown in snippets) and two stem columns,
-- `stems_en` and `stems_es` (one Snowball stem a word of `body`, positions aligned), and loses
-- its prefix indexes (`prefix = '2 3 4'`: three more index entries a word, most of what writing
-- a document cost). The documents are emptied and rebuilt from the records on start-up
-- (rebuildSearchIndex), since SQL cannot stem. Custom SQL: drizzle-kit cannot emit virtual
-- tables or triggers.
DROP TRIGGER `search_documents_after_insert`;
--> statement-breakpoint
DROP TRIGGER `search_documents_after_delete`;
--> statement-breakpoint
DROP TRIGGER `search_documents_after_update`;
--> statement-breakpoint
DROP TABLE `search_index`;
--> statement-breakpoint
DELETE FROM `search_documents`;
--> statement-breakpoint
ALTER TABLE `search_documents` ADD `keywords` text NOT NULL DEFAULT '';
--> statement-breakpoint
ALTER TABLE `search_documents` ADD `stems_en` text NOT NULL DEFAULT '';
--> statement-breakpoint
ALTER TABLE `search_documents` ADD `stems_es` text NOT NULL DEFAULT '';
--> statement-breakpoint
CREATE VIRTUAL TABLE `search_index` USING fts5(
	`title`,
	`body`,
	`keywords`,
	`stems_en`,
	`stems_es`,
	content = 'search_documents',
	content_rowid = 'id',
	tokenize = 'unicode61 remove_diacritics 2'
);
--> statement-breakpoint
CREATE TRIGGER `search_documents_after_insert` AFTER INSERT ON `search_documents` BEGIN
	INSERT INTO `search_index` (`rowid`, `title`, `body`, `keywords`, `stems_en`, `stems_es`) VALUES (new.`id`, new.`title`, new.`body`, new.`keywords`, new.`stems_en`, new.`stems_es`);
END;
--> statement-breakpoint
CREATE TRIGGER `search_documents_after_delete` AFTER DELETE ON `search_documents` BEGIN
	INSERT INTO `search_index` (`search_index`, `rowid`, `title`, `body`, `keywords`, `stems_en`, `stems_es`) VALUES ('delete', old.`id`, old.`title`, old.`body`, old.`keywords`, old.`stems_en`, old.`stems_es`);
END;
--> statement-breakpoint
CREATE TRIGGER `search_documents_after_update` AFTER UPDATE ON `search_documents` BEGIN
	INSERT INTO `search_index` (`search_index`, `rowid`, `title`, `body`, `keywords`, `stems_en`, `stems_es`) VALUES ('delete', old.`id`, old.`title`, old.`body`, old.`keywords`, old.`stems_en`, old.`stems_es`);
	INSERT INTO `search_index` (`rowid`, `title`, `body`, `keywords`, `stems_en`, `stems_es`) VALUES (new.`id`, new.`title`, new.`body`, new.`keywords`, new.`stems_en`, new.`stems_es`);
END;
