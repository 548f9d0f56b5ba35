/**
 * Attribute definitions of categories and the check of product attributes against them.
 *
 * A product in a category must satisfy the definitions of the category and of all its ancestors
 * (inherited): a defined attribute has a value of its type, a required one is present. Keys no
 * definition names stay free attributes (as on uncategorized products), so removing a definition
 * keeps the values on existing products. A key is defined once along a path: a subcategory cannot
 * redefine an inherited key.
 */
import type { AttributeDefinition, FieldError, ProductAttributes } from '@invoice/contracts';

const DECIMAL = /^-?(0|[1-9][0-9]{0,14})(\.[0-9]{1,6})?$/;
const DATE = /^(\d{4})-(\d{2})-(\d{2})$/;

/** True when `text` is a real calendar date written YYYY-MM-DD. */
export function isIsoDate(text: string): boolean {
  const match = DATE.exec(text);
  if (!match) return false;
  const [, y, m, d] = match.map(Number) as [number, number, number, number];
  const date = new Date(Date.UTC(y, m - 1, d));
  return date.getUTCFullYear() === y && date.getUTCMonth() === m - 1 && date.getUTCDate() === d;
}

/** Why `value` does not fit `definition`'s type, or null when it does. */
export function typeProblem(definition: AttributeDefinition, value: unknown): string | null {
  switch (definition.type) {
    case 'text':
      return typeof value === 'string' ? null : 'must be a text (string)';
    case 'number':
      return typeof value === 'number' && Number.isFinite(value) ? null : 'must be a number';
    case 'decimal':
      return typeof value === 'string' && DECIMAL.test(value)
        ? null
        : 'must be a decimal number written as a string, e.g. "12.50"';
    case 'date':
      return typeof value === 'string' && isIsoDate(value) ? null : 'must be a date written YYYY-MM-DD';
    case 'boolean':
      return typeof value === 'boolean' ? null : 'must be true or false';
    case 'enum':
      return typeof value === 'string' && (definition.options ?? []).includes(value)
        ? null
        : `must be one of: ${(definition.options ?? []).join(', ')}`;
  }
}

/** The failures of a product's attributes against the definitions that apply to its category. */
export function checkAttributes(
  attributes: ProductAttributes,
  definitions: readonly AttributeDefinition[],
  prefix = '/attributes',
): FieldError[] {
  const errors: FieldError[] = [];
  for (const definition of definitions) {
    const field = `${prefix}/${definition.key}`;
    const value = attributes[definition.key];
    if (value === undefined) {
      if (definition.required) errors.push({ field, message: 'is required', code: 'ATTRIBUTE_INVALID' });
      continue;
    }
    const problem = typeProblem(definition, value);
    if (problem) errors.push({ field, message: problem, code: 'ATTRIBUTE_INVALID' });
  }
  return errors;
}

/**
 * The failures of a category's own definitions: enum needs options and only enum has them, keys are
 * unique and not already defined by an ancestor (`inheritedKeys`).
 */
export function checkDefinitions(
  definitions: readonly AttributeDefinition[],
  inheritedKeys: ReadonlySet<string>,
  prefix = '/attributes',
): FieldError[] {
  const errors: FieldError[] = [];
  const seen = new Set<string>();
  definitions.forEach((definition, index) => {
    const at = `${prefix}/${index}`;
    if (seen.has(definition.key)) {
      errors.push({ field: `${at}/key`, message: 'is defined twice in this category' });
    } else if (inheritedKeys.has(definition.key)) {
      errors.push({ field: `${at}/key`, message: 'is already defined by a parent category' });
    }
    seen.add(definition.key);
    if (definition.type === 'enum' && !definition.options) {
      errors.push({ field: `${at}/options`, message: 'is required for an enum attribute' });
    }
    if (definition.type !== 'enum' && definition.options) {
      errors.push({ field: `${at}/options`, message: 'is allowed only for an enum attribute' });
    }
  });
  return errors;
}

/** Stored form of a definition: defaults written out, so equal definitions compare equal. */
export function normalizeDefinition(definition: AttributeDefinition): AttributeDefinition {
  return {
    key: definition.key,
    label: definition.label.trim(),
    type: definition.type,
    ...(definition.options ? { options: definition.options } : {}),
    required: definition.required ?? false,
    showOnInvoice: definition.showOnInvoice ?? false,
  };
}
