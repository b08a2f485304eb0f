CREATE TABLE `stat_cells` (
	`kind` text NOT NULL,
	`cell` text NOT NULL,
	`records` integer NOT NULL,
	`m0` integer DEFAULT 0 NOT NULL,
	`m1` integer DEFAULT 0 NOT NULL,
	`m2` integer DEFAULT 0 NOT NULL,
	`m3` integer DEFAULT 0 NOT NULL,
	`m4` integer DEFAULT 0 NOT NULL,
	`m5` integer DEFAULT 0 NOT NULL,
	PRIMARY KEY(`kind`, `cell`)
);
--> statement-breakpoint
CREATE TABLE `stat_contributions` (
	`kind` text NOT NULL,
	`record_id` text NOT NULL,
	`cell` text NOT NULL,
	`measures` text NOT NULL,
	PRIMARY KEY(`kind`, `record_id`)
);
