CREATE TABLE "item_revisions" (
	"org_id" uuid NOT NULL,
	"item_id" text NOT NULL,
	"revision" integer NOT NULL,
	"safe_id" uuid NOT NULL,
	"kind" text NOT NULL,
	"ciphertext" jsonb NOT NULL,
	"bytes" integer NOT NULL,
	"created_at" timestamp with time zone NOT NULL,
	CONSTRAINT "item_revisions_org_id_item_id_revision_pk" PRIMARY KEY("org_id","item_id","revision")
);
--> statement-breakpoint
ALTER TABLE "item_revisions" ADD CONSTRAINT "item_revisions_org_id_item_id_items_org_id_id_fk" FOREIGN KEY ("org_id","item_id") REFERENCES "public"."items"("org_id","id") ON DELETE cascade ON UPDATE no action;