CREATE TABLE `sources` (
	`id` text PRIMARY KEY NOT NULL,
	`title` text NOT NULL,
	`publisher` text,
	`url` text,
	`language` text NOT NULL,
	`published_on` text,
	`captured_text` text NOT NULL,
	`text` text NOT NULL,
	`text_sha256` text NOT NULL,
	`created_at` text DEFAULT (strftime('%Y-%m-%dT%H:%M:%fZ', 'now')) NOT NULL,
	`updated_at` text DEFAULT (strftime('%Y-%m-%dT%H:%M:%fZ', 'now')) NOT NULL
);
--> statement-breakpoint
CREATE INDEX `sources_published_on_idx` ON `sources` (`published_on`,`id`);--> statement-breakpoint
CREATE TABLE `actor_aliases` (
	`id` integer PRIMARY KEY AUTOINCREMENT NOT NULL,
	`actor_id` text NOT NULL,
	`alias` text NOT NULL,
	`kind` text NOT NULL,
	`language` text,
	FOREIGN KEY (`actor_id`) REFERENCES `actors`(`id`) ON UPDATE no action ON DELETE cascade
);
--> statement-breakpoint
CREATE UNIQUE INDEX `actor_aliases_actor_alias_uq` ON `actor_aliases` (`actor_id`,`alias`);--> statement-breakpoint
CREATE INDEX `actor_aliases_alias_idx` ON `actor_aliases` (`alias`);--> statement-breakpoint
CREATE TABLE `actor_relations` (
	`id` text PRIMARY KEY NOT NULL,
	`actor_id` text NOT NULL,
	`relation` text NOT NULL,
	`related_actor_id` text NOT NULL,
	FOREIGN KEY (`actor_id`) REFERENCES `actors`(`id`) ON UPDATE no action ON DELETE cascade,
	FOREIGN KEY (`related_actor_id`) REFERENCES `actors`(`id`) ON UPDATE no action ON DELETE cascade
);
--> statement-breakpoint
CREATE INDEX `actor_relations_actor_idx` ON `actor_relations` (`actor_id`);--> statement-breakpoint
CREATE INDEX `actor_relations_related_idx` ON `actor_relations` (`related_actor_id`);--> statement-breakpoint
CREATE TABLE `actor_roles` (
	`id` text PRIMARY KEY NOT NULL,
	`actor_id` text NOT NULL,
	`title` text NOT NULL,
	`organization_id` text,
	`country` text,
	`from_date` text,
	`from_date_approximate` integer DEFAULT false NOT NULL,
	`to_date` text,
	`to_date_approximate` integer DEFAULT false NOT NULL,
	`as_of` text,
	FOREIGN KEY (`actor_id`) REFERENCES `actors`(`id`) ON UPDATE no action ON DELETE cascade,
	FOREIGN KEY (`organization_id`) REFERENCES `actors`(`id`) ON UPDATE no action ON DELETE no action
);
--> statement-breakpoint
CREATE INDEX `actor_roles_actor_idx` ON `actor_roles` (`actor_id`);--> statement-breakpoint
CREATE INDEX `actor_roles_organization_idx` ON `actor_roles` (`organization_id`);--> statement-breakpoint
CREATE TABLE `actors` (
	`id` text PRIMARY KEY NOT NULL,
	`kind` text NOT NULL,
	`name` text NOT NULL,
	`country` text,
	`description` text,
	`created_at` text DEFAULT (strftime('%Y-%m-%dT%H:%M:%fZ', 'now')) NOT NULL,
	`updated_at` text DEFAULT (strftime('%Y-%m-%dT%H:%M:%fZ', 'now')) NOT NULL
);
--> statement-breakpoint
CREATE INDEX `actors_kind_idx` ON `actors` (`kind`,`id`);--> statement-breakpoint
CREATE INDEX `actors_country_idx` ON `actors` (`country`,`id`);--> statement-breakpoint
CREATE INDEX `actors_name_idx` ON `actors` (`name`,`id`);--> statement-breakpoint
CREATE TABLE `transfer_participants` (
	`transfer_id` text NOT NULL,
	`actor_id` text NOT NULL,
	`role` text NOT NULL,
	PRIMARY KEY(`transfer_id`, `actor_id`, `role`),
	FOREIGN KEY (`transfer_id`) REFERENCES `transfers`(`id`) ON UPDATE no action ON DELETE cascade,
	FOREIGN KEY (`actor_id`) REFERENCES `actors`(`id`) ON UPDATE no action ON DELETE no action
);
--> statement-breakpoint
CREATE INDEX `transfer_participants_actor_idx` ON `transfer_participants` (`actor_id`,`transfer_id`);--> statement-breakpoint
CREATE TABLE `transfer_resources` (
	`id` text PRIMARY KEY NOT NULL,
	`transfer_id` text NOT NULL,
	`kind` text NOT NULL,
	`quantity` integer NOT NULL,
	`approximate` integer DEFAULT false NOT NULL,
	`description` text NOT NULL,
	FOREIGN KEY (`transfer_id`) REFERENCES `transfers`(`id`) ON UPDATE no action ON DELETE cascade
);
--> statement-breakpoint
CREATE INDEX `transfer_resources_transfer_idx` ON `transfer_resources` (`transfer_id`);--> statement-breakpoint
CREATE TABLE `transfers` (
	`id` text PRIMARY KEY NOT NULL,
	`date` text,
	`date_approximate` integer DEFAULT false NOT NULL,
	`announced_on` text,
	`from_country` text NOT NULL,
	`to_country` text NOT NULL,
	`mechanism` text NOT NULL,
	`people_count` integer,
	`people_count_approximate` integer DEFAULT false NOT NULL,
	`summary` text NOT NULL,
	`purpose` text,
	`charges` text,
	`created_at` text DEFAULT (strftime('%Y-%m-%dT%H:%M:%fZ', 'now')) NOT NULL,
	`updated_at` text DEFAULT (strftime('%Y-%m-%dT%H:%M:%fZ', 'now')) NOT NULL
);
--> statement-breakpoint
CREATE INDEX `transfers_date_idx` ON `transfers` (`date`,`id`);--> statement-breakpoint
CREATE INDEX `transfers_countries_idx` ON `transfers` (`from_country`,`to_country`,`date`);--> statement-breakpoint
CREATE INDEX `transfers_mechanism_idx` ON `transfers` (`mechanism`,`date`);--> statement-breakpoint
CREATE TABLE `quotes` (
	`id` text PRIMARY KEY NOT NULL,
	`speaker_id` text NOT NULL,
	`text` text NOT NULL,
	`kind` text NOT NULL,
	`language` text NOT NULL,
	`date` text,
	`date_approximate` integer DEFAULT false NOT NULL,
	`context` text,
	`created_at` text DEFAULT (strftime('%Y-%m-%dT%H:%M:%fZ', 'now')) NOT NULL,
	`updated_at` text DEFAULT (strftime('%Y-%m-%dT%H:%M:%fZ', 'now')) NOT NULL,
	FOREIGN KEY (`speaker_id`) REFERENCES `actors`(`id`) ON UPDATE no action ON DELETE no action
);
--> statement-breakpoint
CREATE INDEX `quotes_speaker_idx` ON `quotes` (`speaker_id`,`date`);--> statement-breakpoint
CREATE INDEX `quotes_date_idx` ON `quotes` (`date`,`id`);--> statement-breakpoint
CREATE TABLE `tariff_deadlines` (
	`id` text PRIMARY KEY NOT NULL,
	`measure` text NOT NULL,
	`rate_percent` real,
	`imposing_country` text NOT NULL,
	`targeted_country` text NOT NULL,
	`imposing_party_id` text,
	`targeted_party_id` text,
	`announced_on` text,
	`announced_on_approximate` integer DEFAULT false NOT NULL,
	`window_start` text,
	`window_start_approximate` integer DEFAULT false NOT NULL,
	`window_days` integer,
	`deadline` text,
	`deadline_approximate` integer DEFAULT false NOT NULL,
	`time_zone` text,
	`status` text NOT NULL,
	`description` text,
	`created_at` text DEFAULT (strftime('%Y-%m-%dT%H:%M:%fZ', 'now')) NOT NULL,
	`updated_at` text DEFAULT (strftime('%Y-%m-%dT%H:%M:%fZ', 'now')) NOT NULL,
	FOREIGN KEY (`imposing_party_id`) REFERENCES `actors`(`id`) ON UPDATE no action ON DELETE no action,
	FOREIGN KEY (`targeted_party_id`) REFERENCES `actors`(`id`) ON UPDATE no action ON DELETE no action
);
--> statement-breakpoint
CREATE INDEX `tariff_deadlines_deadline_idx` ON `tariff_deadlines` (`deadline`,`id`);--> statement-breakpoint
CREATE INDEX `tariff_deadlines_status_idx` ON `tariff_deadlines` (`status`,`deadline`);--> statement-breakpoint
CREATE INDEX `tariff_deadlines_imposing_party_idx` ON `tariff_deadlines` (`imposing_party_id`);--> statement-breakpoint
CREATE INDEX `tariff_deadlines_targeted_party_idx` ON `tariff_deadlines` (`targeted_party_id`);--> statement-breakpoint
CREATE TABLE `cooperation_measure_transfers` (
	`measure_id` text NOT NULL,
	`transfer_id` text NOT NULL,
	PRIMARY KEY(`measure_id`, `transfer_id`),
	FOREIGN KEY (`measure_id`) REFERENCES `cooperation_measures`(`id`) ON UPDATE no action ON DELETE cascade,
	FOREIGN KEY (`transfer_id`) REFERENCES `transfers`(`id`) ON UPDATE no action ON DELETE cascade
);
--> statement-breakpoint
CREATE INDEX `cooperation_measure_transfers_transfer_idx` ON `cooperation_measure_transfers` (`transfer_id`);--> statement-breakpoint
CREATE TABLE `cooperation_measures` (
	`id` text PRIMARY KEY NOT NULL,
	`kind` text NOT NULL,
	`title` text NOT NULL,
	`description` text NOT NULL,
	`requesting_party_id` text,
	`providing_party_id` text,
	`receiving_party_id` text,
	`place` text,
	`start_date` text,
	`start_date_approximate` integer DEFAULT false NOT NULL,
	`end_date` text,
	`end_date_approximate` integer DEFAULT false NOT NULL,
	`military` integer,
	`status` text NOT NULL,
	`as_of` text,
	`created_at` text DEFAULT (strftime('%Y-%m-%dT%H:%M:%fZ', 'now')) NOT NULL,
	`updated_at` text DEFAULT (strftime('%Y-%m-%dT%H:%M:%fZ', 'now')) NOT NULL,
	FOREIGN KEY (`requesting_party_id`) REFERENCES `actors`(`id`) ON UPDATE no action ON DELETE no action,
	FOREIGN KEY (`providing_party_id`) REFERENCES `actors`(`id`) ON UPDATE no action ON DELETE no action,
	FOREIGN KEY (`receiving_party_id`) REFERENCES `actors`(`id`) ON UPDATE no action ON DELETE no action
);
--> statement-breakpoint
CREATE INDEX `cooperation_measures_kind_idx` ON `cooperation_measures` (`kind`,`id`);--> statement-breakpoint
CREATE INDEX `cooperation_measures_status_idx` ON `cooperation_measures` (`status`,`id`);--> statement-breakpoint
CREATE INDEX `cooperation_measures_requesting_idx` ON `cooperation_measures` (`requesting_party_id`);--> statement-breakpoint
CREATE INDEX `cooperation_measures_providing_idx` ON `cooperation_measures` (`providing_party_id`);--> statement-breakpoint
CREATE INDEX `cooperation_measures_receiving_idx` ON `cooperation_measures` (`receiving_party_id`);--> statement-breakpoint
CREATE TABLE `citations` (
	`id` integer PRIMARY KEY AUTOINCREMENT NOT NULL,
	`record_type` text NOT NULL,
	`record_id` text NOT NULL,
	`fields` text DEFAULT '[]' NOT NULL,
	`source_id` text NOT NULL,
	`excerpt` text NOT NULL,
	`start_offset` integer NOT NULL,
	`end_offset` integer NOT NULL,
	`note` text,
	FOREIGN KEY (`source_id`) REFERENCES `sources`(`id`) ON UPDATE no action ON DELETE no action
);
--> statement-breakpoint
CREATE INDEX `citations_record_idx` ON `citations` (`record_type`,`record_id`,`id`);--> statement-breakpoint
CREATE INDEX `citations_source_idx` ON `citations` (`source_id`);