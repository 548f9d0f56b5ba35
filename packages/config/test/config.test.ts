import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { CommonConfig, ConfigError, loadConfig, Type } from '../src/index.ts';

const Schema = Type.Object({
  ...CommonConfig,
  PORT: Type.Integer({ default: 8083 }),
  FLAG: Type.Boolean({ default: false }),
});

describe('configuration', () => {
  it('applies defaults and converts numbers and booleans', () => {
    const config = loadConfig(Schema, { PORT: '9000', FLAG: 'true' });
    assert.equal(config.PORT, 9000);
    assert.equal(config.FLAG, true);
    assert.equal(config.ROLE, 'all');
    assert.equal(config.NATS_URL, 'nats://127.0.0.1:4222');
  });

  it('is frozen', () => {
    const config = loadConfig(Schema, {});
    assert.throws(() => {
      (config as { PORT: number }).PORT = 1;
    });
  });

  it('names each invalid variable', () => {
    assert.throws(
      () => loadConfig(Schema, { PORT: 'eighty', ROLE: 'boss' }),
      (error: unknown) =>
        error instanceof ConfigError && error.message.includes('PORT') && error.message.includes('ROLE'),
    );
  });

  it('treats an empty variable as unset', () => {
    assert.equal(loadConfig(Schema, { PORT: '' }).PORT, 8083);
  });
});
