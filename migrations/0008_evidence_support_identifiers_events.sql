CREATE TABLE `merged_records` (
	`record_type` text NOT NULL,
	`record_id` text NOT NULL,
	`into_id` text NOT NULL,
	`at` text DEFAULT (strftime('%Y-%m-%dT%H:%M:%fZ', 'now')) NOT NULL,
	PRIMARY KEY(`record_type`, `record_id`)
);
--> statement-breakpoint
CREATE INDEX `merged_records_into_idx` ON `merged_records` (`record_type`,`into_id`);--> statement-breakpoint
CREATE TABLE `actor_identifiers` (
	`actor_id` text NOT NULL,
	`scheme` text NOT NULL,
	`value` text NOT NULL,
	PRIMARY KEY(`scheme`, `value`),
	FOREIGN KEY (`actor_id`) REFERENCES `actors`(`id`) ON UPDATE no action ON DELETE cascade
);
--> statement-breakpoint
CREATE INDEX `actor_identifiers_actor_idx` ON `actor_identifiers` (`actor_id`);--> statement-breakpoint
CREATE TABLE `event_parties` (
	`event_id` text NOT NULL,
	`actor_id` text NOT NULL,
	`role` text NOT NULL,
	PRIMARY KEY(`event_id`, `actor_id`, `role`),
	FOREIGN KEY (`event_id`) REFERENCES `events`(`id`) ON UPDATE no action ON DELETE cascade,
	FOREIGN KEY (`actor_id`) REFERENCES `actors`(`id`) ON UPDATE no action ON DELETE no action
);
--> statement-breakpoint
CREATE INDEX `event_parties_actor_idx` ON `event_parties` (`actor_id`,`event_id`);--> statement-breakpoint
CREATE TABLE `events` (
	`id` text PRIMARY KEY NOT NULL,
	`kind` text NOT NULL,
	`title` text NOT NULL,
	`description` text,
	`date` text,
	`date_approximate` integer DEFAULT false NOT NULL,
	`place` text,
	`country` text,
	`created_at` text DEFAULT (strftime('%Y-%m-%dT%H:%M:%fZ', 'now')) NOT NULL,
	`updated_at` text DEFAULT (strftime('%Y-%m-%dT%H:%M:%fZ', 'now')) NOT NULL
);
--> statement-breakpoint
CREATE INDEX `events_kind_idx` ON `events` (`kind`,`id`);--> statement-breakpoint
ALTER TABLE `citations` ADD `support` text DEFAULT 'stated' NOT NULL;--> statement-breakpoint
ALTER TABLE `revisions` ADD `comment` text;--> statement-breakpoint
ALTER TABLE `quotes` ADD `rendered_from` text;--> statement-breakpoint
ALTER TABLE `quotes` ADD `original_text` text;