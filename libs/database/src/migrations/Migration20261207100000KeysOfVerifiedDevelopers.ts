import { Migration } from '@mikro-orm/migrations';

/**
 * Keys an admin made for a verified developer's address before keys were linked at creation
 * carried no owner_id: the developer's /me/keys left them out while the key limit, counted by
 * address, counted them. They become the developer's, as keys made for the address are now
 * whoever makes them. Exact address only, as the claim on verification does.
 */
export class Migration20261207100000KeysOfVerifiedDevelopers extends Migration {
  override async up(): Promise<void> {
    this.addSql(`
      update api_keys k set owner_id = u.id
      from users u
      where k.owner_id is null and u.verified and k.owner_email = u.email;`);
  }
}
