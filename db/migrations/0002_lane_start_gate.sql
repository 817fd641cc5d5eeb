ALTER TABLE `lanes` ADD `start_at` integer;--> statement-breakpoint
ALTER TABLE `lanes` ADD `start_skew_uncertainty_ms` real;--> statement-breakpoint
ALTER TABLE `lanes` ADD `clock_offset_ms` real;--> statement-breakpoint
ALTER TABLE `lanes` ADD `ran_after` text;--> statement-breakpoint
ALTER TABLE `lanes` ADD `start_note` text;