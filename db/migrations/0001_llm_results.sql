DROP INDEX `results_lane_idx`;--> statement-breakpoint
ALTER TABLE `results` ADD `output` text;--> statement-breakpoint
ALTER TABLE `results` ADD `timeline` text;--> statement-breakpoint
CREATE UNIQUE INDEX `results_lane_position_idx` ON `results` (`run_id`,`lane_id`,`position`);