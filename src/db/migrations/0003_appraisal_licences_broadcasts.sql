CREATE EXTENSION IF NOT EXISTS btree_gist;--> statement-breakpoint
CREATE TABLE "appraisal_bookings" (
	"id" uuid PRIMARY KEY DEFAULT gen_random_uuid() NOT NULL,
	"code" text NOT NULL,
	"procedure_slug" text NOT NULL,
	"appraiser_id" uuid NOT NULL,
	"starts_at" timestamp with time zone NOT NULL,
	"ends_at" timestamp with time zone NOT NULL,
	"blocked_until" timestamp with time zone NOT NULL,
	"status" text DEFAULT 'booked' NOT NULL,
	"business_name" text NOT NULL,
	"address" text NOT NULL,
	"phone" text NOT NULL,
	"channel" text,
	"channel_user_id" text,
	"source" text NOT NULL,
	"rescheduled_from" uuid,
	"replaced_by" uuid,
	"cancelled_at" timestamp with time zone,
	"cancel_reason" text,
	"checklist_results" jsonb DEFAULT '{}'::jsonb NOT NULL,
	"outcome" text,
	"outcome_notes" text,
	"reappraisal_on" date,
	"outcome_at" timestamp with time zone,
	"outcome_by" uuid,
	"licence_id" uuid,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	"updated_at" timestamp with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "appraisal_bookings_range" CHECK ("appraisal_bookings"."starts_at" < "appraisal_bookings"."ends_at" and "appraisal_bookings"."ends_at" <= "appraisal_bookings"."blocked_until")
);
--> statement-breakpoint
CREATE TABLE "appraisal_days_off" (
	"id" uuid PRIMARY KEY DEFAULT gen_random_uuid() NOT NULL,
	"appraiser_id" uuid,
	"day" date NOT NULL,
	"reason" text NOT NULL
);
--> statement-breakpoint
CREATE TABLE "appraisal_types" (
	"procedure_slug" text PRIMARY KEY NOT NULL,
	"session_minutes" integer NOT NULL,
	"buffer_minutes" integer DEFAULT 0 NOT NULL,
	"video_channel" text NOT NULL,
	"meeting_url" text,
	"checklist" jsonb NOT NULL,
	"preparation" jsonb NOT NULL,
	"licence_validity_days" integer DEFAULT 1825 NOT NULL,
	"active" boolean DEFAULT true NOT NULL,
	"is_sample" boolean DEFAULT false NOT NULL,
	"updated_at" timestamp with time zone DEFAULT now() NOT NULL
);
--> statement-breakpoint
CREATE TABLE "appraisers" (
	"id" uuid PRIMARY KEY DEFAULT gen_random_uuid() NOT NULL,
	"official_id" uuid,
	"name" text NOT NULL,
	"phone" text,
	"procedures" jsonb NOT NULL,
	"working_hours" jsonb NOT NULL,
	"daily_capacity" integer DEFAULT 6 NOT NULL,
	"active" boolean DEFAULT true NOT NULL,
	"is_sample" boolean DEFAULT false NOT NULL,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL
);
--> statement-breakpoint
CREATE TABLE "licence_link_codes" (
	"id" uuid PRIMARY KEY DEFAULT gen_random_uuid() NOT NULL,
	"licence_id" uuid NOT NULL,
	"channel" text NOT NULL,
	"channel_user_id" text NOT NULL,
	"code_hash" text NOT NULL,
	"attempts" integer DEFAULT 0 NOT NULL,
	"expires_at" timestamp with time zone NOT NULL,
	"used_at" timestamp with time zone,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL
);
--> statement-breakpoint
CREATE TABLE "licence_links" (
	"licence_id" uuid NOT NULL,
	"channel" text NOT NULL,
	"channel_user_id" text NOT NULL,
	"verified_by" text NOT NULL,
	"verified_at" timestamp with time zone DEFAULT now() NOT NULL,
	"unsubscribed_at" timestamp with time zone,
	CONSTRAINT "licence_links_licence_id_channel_channel_user_id_pk" PRIMARY KEY("licence_id","channel","channel_user_id")
);
--> statement-breakpoint
CREATE TABLE "licence_reminders" (
	"id" uuid PRIMARY KEY DEFAULT gen_random_uuid() NOT NULL,
	"licence_id" uuid NOT NULL,
	"expires_on" date NOT NULL,
	"step" integer NOT NULL,
	"due_on" date NOT NULL,
	"status" text NOT NULL,
	"deliveries" jsonb DEFAULT '[]'::jsonb NOT NULL,
	"note" text,
	"planned_at" timestamp with time zone DEFAULT now() NOT NULL
);
--> statement-breakpoint
CREATE TABLE "licences" (
	"id" uuid PRIMARY KEY DEFAULT gen_random_uuid() NOT NULL,
	"number" text NOT NULL,
	"procedure_slug" text NOT NULL,
	"holder_name" text NOT NULL,
	"phone" text,
	"address" text,
	"ward" text,
	"issued_on" date,
	"expires_on" date NOT NULL,
	"source" text NOT NULL,
	"booking_id" uuid,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	"updated_at" timestamp with time zone DEFAULT now() NOT NULL
);
--> statement-breakpoint
CREATE TABLE "reminder_ladders" (
	"procedure_slug" text PRIMARY KEY NOT NULL,
	"steps" jsonb NOT NULL,
	"updated_at" timestamp with time zone DEFAULT now() NOT NULL
);
--> statement-breakpoint
CREATE TABLE "broadcast_opt_outs" (
	"channel" text NOT NULL,
	"channel_user_id" text NOT NULL,
	"at" timestamp with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "broadcast_opt_outs_channel_channel_user_id_pk" PRIMARY KEY("channel","channel_user_id")
);
--> statement-breakpoint
CREATE TABLE "broadcast_recipients" (
	"broadcast_id" uuid NOT NULL,
	"channel" text NOT NULL,
	"channel_user_id" text NOT NULL,
	"status" text DEFAULT 'pending' NOT NULL,
	"queued_at" timestamp with time zone,
	CONSTRAINT "broadcast_recipients_broadcast_id_channel_channel_user_id_pk" PRIMARY KEY("broadcast_id","channel","channel_user_id")
);
--> statement-breakpoint
CREATE TABLE "broadcasts" (
	"id" uuid PRIMARY KEY DEFAULT gen_random_uuid() NOT NULL,
	"title" text NOT NULL,
	"text" text NOT NULL,
	"segment" jsonb NOT NULL,
	"status" text DEFAULT 'draft' NOT NULL,
	"scheduled_at" timestamp with time zone,
	"recipient_count" integer,
	"created_by" uuid,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	"started_at" timestamp with time zone,
	"finished_at" timestamp with time zone
);
--> statement-breakpoint
ALTER TABLE "appraisal_bookings" ADD CONSTRAINT "appraisal_bookings_appraiser_id_appraisers_id_fk" FOREIGN KEY ("appraiser_id") REFERENCES "public"."appraisers"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "appraisal_days_off" ADD CONSTRAINT "appraisal_days_off_appraiser_id_appraisers_id_fk" FOREIGN KEY ("appraiser_id") REFERENCES "public"."appraisers"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "licence_link_codes" ADD CONSTRAINT "licence_link_codes_licence_id_licences_id_fk" FOREIGN KEY ("licence_id") REFERENCES "public"."licences"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "licence_links" ADD CONSTRAINT "licence_links_licence_id_licences_id_fk" FOREIGN KEY ("licence_id") REFERENCES "public"."licences"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "licence_reminders" ADD CONSTRAINT "licence_reminders_licence_id_licences_id_fk" FOREIGN KEY ("licence_id") REFERENCES "public"."licences"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "broadcast_recipients" ADD CONSTRAINT "broadcast_recipients_broadcast_id_broadcasts_id_fk" FOREIGN KEY ("broadcast_id") REFERENCES "public"."broadcasts"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
CREATE UNIQUE INDEX "appraisal_bookings_code_uq" ON "appraisal_bookings" USING btree ("code");--> statement-breakpoint
CREATE INDEX "appraisal_bookings_starts_idx" ON "appraisal_bookings" USING btree ("starts_at");--> statement-breakpoint
CREATE INDEX "appraisal_bookings_chat_idx" ON "appraisal_bookings" USING btree ("channel","channel_user_id");--> statement-breakpoint
CREATE INDEX "appraisal_days_off_day_idx" ON "appraisal_days_off" USING btree ("day");--> statement-breakpoint
CREATE INDEX "licence_link_codes_user_idx" ON "licence_link_codes" USING btree ("channel","channel_user_id");--> statement-breakpoint
CREATE INDEX "licence_links_user_idx" ON "licence_links" USING btree ("channel","channel_user_id");--> statement-breakpoint
CREATE UNIQUE INDEX "licence_reminders_step_uq" ON "licence_reminders" USING btree ("licence_id","expires_on","step");--> statement-breakpoint
CREATE INDEX "licence_reminders_status_idx" ON "licence_reminders" USING btree ("status") WHERE "licence_reminders"."status" = 'no_channel';--> statement-breakpoint
CREATE UNIQUE INDEX "licences_number_uq" ON "licences" USING btree ("number");--> statement-breakpoint
CREATE INDEX "licences_expires_idx" ON "licences" USING btree ("expires_on");--> statement-breakpoint
CREATE INDEX "licences_phone_idx" ON "licences" USING btree ("phone");--> statement-breakpoint
CREATE INDEX "broadcast_recipients_pending_idx" ON "broadcast_recipients" USING btree ("broadcast_id","status");--> statement-breakpoint
CREATE INDEX "broadcasts_status_idx" ON "broadcasts" USING btree ("status","scheduled_at");--> statement-breakpoint
-- Never double-booked: two live sessions of one appraiser may not overlap (session + buffer).
-- Written by hand: drizzle-kit does not generate exclusion constraints.
ALTER TABLE "appraisal_bookings" ADD CONSTRAINT "appraisal_bookings_no_overlap" EXCLUDE USING gist ("appraiser_id" WITH =, tstzrange("starts_at", "blocked_until", '[)') WITH &&) WHERE ("status" = 'booked');
