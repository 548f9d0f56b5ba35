import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { createTestDatabase, type TestDatabase } from '@invoice/platform-testing';
import { outboxEntities, outboxTablesSql } from '@invoice/platform-outbox';
import { createOrm, Migration, migrate, type MikroORM } from '../src/index.ts';

class Init extends Migration {
  override async up() {
    for (const sql of outboxTablesSql()) this.addSql(sql);
    this.addSql('create table things (id int primary key)');
  }
}

describe('migrations', () => {
  let database: TestDatabase;
  const orms: MikroORM[] = [];

  before(async () => {
    database = await createTestDatabase();
  });

  after(async () => {
    await Promise.all(orms.map((orm) => orm.close()));
    await database.drop();
  });

  const open = async () => {
    const orm = await createOrm({
      url: database.url,
      schema: 'svc',
      entities: outboxEntities,
      migrations: [{ name: 'init', class: Init }],
    });
    orms.push(orm);
    return orm;
  };

  it('applies each migration once when several replicas start at the same time', async () => {
    const replicas = await Promise.all([open(), open(), open()]);
    const results = await Promise.all(replicas.map((orm) => migrate(orm)));
    assert.deepEqual(results.flat(), ['init']);
    const [row] = await replicas[0]!.em
      .fork()
      .execute<{ count: string }[]>('select count(*) from svc.mikro_orm_migrations');
    assert.equal(Number(row!.count), 1);
  });

  it('does nothing when nothing is pending', async () => {
    assert.deepEqual(await migrate(await open()), []);
  });
});
