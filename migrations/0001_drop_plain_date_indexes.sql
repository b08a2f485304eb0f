DROP INDEX `sources_published_on_idx`;--> statement-breakpoint
CREATE INDEX `sources_title_idx` ON `sources` (`title`,`id`);--> statement-breakpoint
DROP INDEX `transfers_date_idx`;--> statement-breakpoint
DROP INDEX `transfers_countries_idx`;--> statement-breakpoint
DROP INDEX `transfers_mechanism_idx`;--> statement-breakpoint
DROP INDEX `quotes_speaker_idx`;--> statement-breakpoint
DROP INDEX `quotes_date_idx`;--> statement-breakpoint
DROP INDEX `tariff_deadlines_deadline_idx`;--> statement-breakpoint
DROP INDEX `tariff_deadlines_status_idx`;