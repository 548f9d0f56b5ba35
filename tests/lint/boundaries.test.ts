/** The import-boundary lint rule (eslint-rules/boundaries.js) refuses each kind of violation. */
import { describe, it } from 'node:test';
import { RuleTester } from 'eslint';
import tseslint from 'typescript-eslint';
import local from '../../eslint-rules/boundaries.js';

RuleTester.describe = describe;
RuleTester.it = it;
RuleTester.itOnly = it.only;

const tester = new RuleTester({ languageOptions: { parser: tseslint.parser, sourceType: 'module' } });
const rule = local.rules.boundaries;

tester.run('local/boundaries', rule, {
  valid: [
    {
      filename: 'services/catalog/src/domain/patch.ts',
      code: "import { AppError } from '@invoice/contracts';",
    },
    { filename: 'services/catalog/src/domain/patch.ts', code: "import { x } from './search.ts';" },
    {
      filename: 'services/catalog/src/http/a.routes.ts',
      code: "import type { MikroORM } from '@invoice/platform-db';",
    },
    {
      filename: 'services/catalog/src/http/a.routes.ts',
      code: "import type { Row } from '../db/row.entity.ts';",
    },
    {
      filename: 'services/catalog/src/http/a.routes.ts',
      code: "import { list } from '../application/list.ts';",
    },
    { filename: 'services/catalog/src/application/list.ts', code: "import { find } from '../db/repo.ts';" },
    { filename: 'packages/http/src/server.ts', code: "import x from '../../../services/auth/src/app.ts';" },
  ],
  invalid: [
    {
      filename: 'services/catalog/src/domain/patch.ts',
      code: "import { MikroORM } from '@mikro-orm/postgresql';",
      errors: [{ messageId: 'domainImport' }],
    },
    {
      filename: 'services/catalog/src/domain/patch.ts',
      code: "import type { App } from '@invoice/platform-http';",
      errors: [{ messageId: 'domainImport' }],
    },
    {
      filename: 'services/catalog/src/domain/patch.ts',
      code: "import { findClient } from '../db/clients.repository.ts';",
      errors: [{ messageId: 'domainImport' }],
    },
    {
      filename: 'services/catalog/src/domain/patch.ts',
      code: "export { routes } from '../http/clients.routes.ts';",
      errors: [{ messageId: 'domainImport' }],
    },
    {
      filename: 'services/catalog/src/http/a.routes.ts',
      code: "import { inTransaction } from '@invoice/platform-db';",
      errors: [{ messageId: 'httpOrm' }],
    },
    {
      filename: 'services/catalog/src/http/a.routes.ts',
      code: "import type { InferEntity } from '@mikro-orm/core';",
      errors: [{ messageId: 'httpOrm' }],
    },
    {
      filename: 'services/catalog/src/http/a.routes.ts',
      code: "import { findClient } from '../db/clients.repository.ts';",
      errors: [{ messageId: 'httpOrm' }],
    },
    {
      filename: 'services/invoicing/src/application/issue.ts',
      code: "import { buildApp } from '../../../catalog/src/app.ts';",
      errors: [{ messageId: 'otherService' }],
    },
    {
      filename: 'services/invoicing/test/support/harness.ts',
      code: "const m = await import('../../../document/src/deps.ts');",
      errors: [{ messageId: 'otherService' }],
    },
  ],
});
