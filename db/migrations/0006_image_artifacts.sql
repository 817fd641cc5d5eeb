CREATE TABLE `checkpoints` (
	`name` text PRIMARY KEY NOT NULL,
	`label` text NOT NULL,
	`url` text NOT NULL,
	`sha256` text NOT NULL,
	`allow_private` integer DEFAULT false NOT NULL,
	`created_at` integer NOT NULL
);
--> statement-breakpoint
CREATE TABLE `run_images` (
	`run_id` text NOT NULL,
	`sha256` text NOT NULL,
	`lane_id` text NOT NULL,
	`media_type` text NOT NULL,
	`bytes` integer NOT NULL,
	`created_at` integer NOT NULL,
	PRIMARY KEY(`run_id`, `sha256`),
	FOREIGN KEY (`run_id`) REFERENCES `runs`(`id`) ON UPDATE no action ON DELETE cascade
);
--> statement-breakpoint
CREATE INDEX `run_images_sha_idx` ON `run_images` (`sha256`);--> statement-breakpoint
ALTER TABLE `results` ADD `images` text;