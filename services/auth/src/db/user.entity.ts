import { defineEntity, p } from '@invoice/platform-db';

/** A person who can log in. The email is stored lower-cased and unique (index on lower(email)). */
export const User = defineEntity({
  name: 'User',
  tableName: 'users',
  properties: {
    id: p.uuid().primary(),
    email: p.text(),
    name: p.text(),
    /** argon2id PHC string; never leaves this service. */
    passwordHash: p.text().name('password_hash').hidden(),
    emailVerifiedAt: p.datetime().name('email_verified_at').nullable(),
    createdAt: p
      .datetime()
      .name('created_at')
      .onCreate(() => new Date()),
    updatedAt: p
      .datetime()
      .name('updated_at')
      .onCreate(() => new Date())
      .onUpdate(() => new Date()),
  },
});
