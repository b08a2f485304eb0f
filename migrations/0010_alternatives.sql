CREATE TABLE `alternatives` (
	`id` integer PRIMARY KEY AUTOINCREMENT NOT NULL,
	`record_type` text NOT NULL,
	`record_id` text NOT NULL,
	`position` integer NOT NULL,
	`field` text NOT NULL,
	`value` text NOT NULL,
	`rank` text NOT NULL,
	`note` text
);
--> statement-breakpoint
CREATE UNIQUE INDEX `alternatives_record_position_uq` ON `alternatives` (`record_type`,`record_id`,`position`);--> statement-breakpoint
CREATE INDEX `alternatives_disputed_idx` ON `alternatives` (`record_type`,`rank`,`record_id`);--> statement-breakpoint
ALTER TABLE `citations` ADD `alternative` integer;