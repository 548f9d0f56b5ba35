/**
 * Layer and service boundaries, checked on every import (static, dynamic and re-export):
 *
 * - `services/<a>/**` never imports `services/<b>/**`: services share only `contracts/` and `packages/`.
 * - `services/<s>/src/domain/**` is pure: no ORM, database, HTTP, bus or queue package, and nothing
 *   from the service's `db/`, `http/`, `events/`, `workers/`, `rpc/` or `application/` folders.
 * - `services/<s>/src/http/**` imports no ORM: no `@mikro-orm/*`, and from `@invoice/platform-db`
 *   or the service's `db/` folder only types (row shapes, the `MikroORM` handle it passes on).
 */
import path from 'node:path';

const SERVICE_FILE = /(?:^|\/)services\/([^/]+)\/(.*)$/;
const DOMAIN_FORBIDDEN_PACKAGES = [
  /^@mikro-orm\//,
  /^@invoice\/platform-(db|http|bus|queue|outbox|storage|service)$/,
  /^(fastify|pg|ioredis|bullmq|nodemailer)$/,
  /^@fastify\//,
  /^@nats-io\//,
  /^@aws-sdk\//,
];
const DOMAIN_FORBIDDEN_FOLDERS = /^src\/(db|http|events|workers|rpc|application)\//;

function locate(file) {
  const match = SERVICE_FILE.exec(file.split(path.sep).join('/'));
  return match ? { service: match[1], rest: match[2] } : undefined;
}

function isTypeOnly(node) {
  if (node.importKind === 'type' || node.exportKind === 'type') return true;
  const specifiers = node.specifiers ?? [];
  return specifiers.length > 0 && specifiers.every((s) => s.importKind === 'type' || s.exportKind === 'type');
}

/** @type {import('eslint').Rule.RuleModule} */
const rule = {
  meta: {
    type: 'problem',
    docs: { description: 'Keep domain code pure, HTTP code free of the ORM, and services apart.' },
    schema: [],
    messages: {
      otherService:
        'services/{{from}} must not import services/{{to}}; share it through contracts/ or packages/.',
      domainImport: 'domain/ is pure: it must not import {{what}}.',
      httpOrm: 'http/ must not use the ORM ({{what}}); go through application/ or import only types.',
    },
  },
  create(context) {
    const file = context.filename ?? context.getFilename();
    const here = locate(file);
    if (!here) return {};

    function check(node, source) {
      if (typeof source !== 'string') return;
      const relative = source.startsWith('.');
      const target = relative ? locate(path.resolve(path.dirname(file), source)) : undefined;
      if (target && target.service !== here.service) {
        context.report({ node, messageId: 'otherService', data: { from: here.service, to: target.service } });
        return;
      }
      if (here.rest.startsWith('src/domain/')) {
        const bad = relative
          ? target && DOMAIN_FORBIDDEN_FOLDERS.test(target.rest) && target.rest
          : DOMAIN_FORBIDDEN_PACKAGES.some((pattern) => pattern.test(source)) && source;
        if (bad) context.report({ node, messageId: 'domainImport', data: { what: bad } });
        return;
      }
      if (here.rest.startsWith('src/http/')) {
        if (!relative && /^@mikro-orm\//.test(source)) {
          context.report({ node, messageId: 'httpOrm', data: { what: source } });
        } else if (
          !isTypeOnly(node) &&
          (source === '@invoice/platform-db' || (target && target.rest.startsWith('src/db/')))
        ) {
          context.report({ node, messageId: 'httpOrm', data: { what: source } });
        }
      }
    }

    return {
      ImportDeclaration: (node) => check(node, node.source.value),
      ExportNamedDeclaration: (node) => node.source && check(node, node.source.value),
      ExportAllDeclaration: (node) => check(node, node.source.value),
      ImportExpression: (node) => node.source.type === 'Literal' && check(node, node.source.value),
    };
  },
};

export default { rules: { boundaries: rule } };
