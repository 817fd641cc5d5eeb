CREATE TABLE `agents` (
	`id` text PRIMARY KEY NOT NULL,
	`name` text NOT NULL,
	`version` text NOT NULL,
	`status` text NOT NULL,
	`hardware` text NOT NULL,
	`backends` text NOT NULL,
	`last_seen_at` integer NOT NULL
);
--> statement-breakpoint
CREATE INDEX `agents_name_idx` ON `agents` (`name`);--> statement-breakpoint
CREATE TABLE `events` (
	`run_id` text NOT NULL,
	`seq` integer NOT NULL,
	`at` integer NOT NULL,
	`type` text NOT NULL,
	`lane_id` text,
	`data` text NOT NULL,
	PRIMARY KEY(`run_id`, `seq`),
	FOREIGN KEY (`run_id`) REFERENCES `runs`(`id`) ON UPDATE no action ON DELETE cascade
);
--> statement-breakpoint
CREATE TABLE `lanes` (
	`run_id` text NOT NULL,
	`lane_id` text NOT NULL,
	`index` integer NOT NULL,
	`agent_id` text NOT NULL,
	`agent_name` text NOT NULL,
	`backend` text NOT NULL,
	`model` text,
	`params` text NOT NULL,
	`status` text NOT NULL,
	`error` text,
	`start_skew_ms` integer,
	`provenance` text,
	`summary` text,
	PRIMARY KEY(`run_id`, `lane_id`),
	FOREIGN KEY (`run_id`) REFERENCES `runs`(`id`) ON UPDATE no action ON DELETE cascade
);
--> statement-breakpoint
CREATE INDEX `lanes_agent_idx` ON `lanes` (`agent_id`);--> statement-breakpoint
CREATE TABLE `results` (
	`id` integer PRIMARY KEY AUTOINCREMENT NOT NULL,
	`run_id` text NOT NULL,
	`lane_id` text NOT NULL,
	`position` integer NOT NULL,
	`repeat` integer NOT NULL,
	`warmup` integer NOT NULL,
	`metrics` text NOT NULL,
	FOREIGN KEY (`run_id`,`lane_id`) REFERENCES `lanes`(`run_id`,`lane_id`) ON UPDATE no action ON DELETE cascade
);
--> statement-breakpoint
CREATE INDEX `results_lane_idx` ON `results` (`run_id`,`lane_id`,`position`);--> statement-breakpoint
CREATE TABLE `runs` (
	`id` text PRIMARY KEY NOT NULL,
	`workload` text NOT NULL,
	`status` text NOT NULL,
	`params` text NOT NULL,
	`repeats` integer NOT NULL,
	`warmup` integer NOT NULL,
	`state_seq` integer DEFAULT 0 NOT NULL,
	`created_at` integer NOT NULL,
	`started_at` integer,
	`finished_at` integer
);
--> statement-breakpoint
CREATE INDEX `runs_created_idx` ON `runs` (`created_at`,`id`);--> statement-breakpoint
CREATE INDEX `runs_workload_created_idx` ON `runs` (`workload`,`created_at`,`id`);