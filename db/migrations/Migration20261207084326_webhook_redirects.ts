import { Migration } from '@mikro-orm/migrations';

/** A webhook's sync answers may redirect only when its owner turns this on; existing hooks start with it off. */
export class Migration20261207084326_webhook_redirects extends Migration {

  override async up(): Promise<void> {
    this.addSql(`alter table "webhooks" add column "allow_redirects" boolean not null default false;`);
  }

  override async down(): Promise<void> {
    this.addSql(`alter table "webhooks" drop column "allow_redirects";`);
  }

}
