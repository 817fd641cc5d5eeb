CREATE TABLE `hardware_snapshots` (
	`id` text PRIMARY KEY NOT NULL,
	`hardware` text NOT NULL,
	`agent_id` text NOT NULL,
	`first_seen_at` integer NOT NULL
);
--> statement-breakpoint
CREATE TABLE `run_samples` (
	`run_id` text NOT NULL,
	`agent_id` text NOT NULL,
	`at` integer NOT NULL,
	`cpu_percent` real,
	`memory_used_bytes` integer,
	`cpu_power_w` real,
	`gpus` text NOT NULL,
	PRIMARY KEY(`run_id`, `at`, `agent_id`),
	FOREIGN KEY (`run_id`) REFERENCES `runs`(`id`) ON UPDATE no action ON DELETE cascade
);
--> statement-breakpoint
ALTER TABLE `agents` ADD `hardware_id` text;--> statement-breakpoint
ALTER TABLE `agents` ADD `overrides` text;