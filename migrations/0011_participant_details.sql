ALTER TABLE `transfer_participants` ADD `organization_id` text REFERENCES actors(id);--> statement-breakpoint
ALTER TABLE `transfer_participants` ADD `charges` text;--> statement-breakpoint
ALTER TABLE `transfer_participants` ADD `wanted_by` text;--> statement-breakpoint
ALTER TABLE `transfer_participants` ADD `case_numbers` text DEFAULT '[]' NOT NULL;--> statement-breakpoint
ALTER TABLE `transfer_participants` ADD `held_at` text;--> statement-breakpoint
CREATE INDEX `transfer_participants_organization_idx` ON `transfer_participants` (`organization_id`);