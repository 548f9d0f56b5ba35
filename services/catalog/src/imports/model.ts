/**
 * The shapes of spreadsheet imports: what an upload's analysis finds in each sheet, the run request
 * (mode, sheets, column mapping) and the status the API answers. Columns are named by their letters
 * (`A`, `B`, … `AA`), so duplicate or empty header names never make a mapping ambiguous.
 */
import { AttributeTypeSchema, DateTimeSchema, IdSchema } from '@invoice/contracts';
import { Type, type Static } from 'typebox';

/** How a sample cell looks. */
export const CellTypeSchema = Type.Union(
  [
    Type.Literal('empty'),
    Type.Literal('text'),
    Type.Literal('number'),
    Type.Literal('date'),
    Type.Literal('boolean'),
  ],
  { description: 'The detected type of a cell (a formula counts as its cached value)' },
);
export type CellType = Static<typeof CellTypeSchema>;

/** A sample cell: its value as text and its detected type. */
export const SampleCellSchema = Type.Object({
  value: Type.String({
    description: 'The value as text (dates YYYY-MM-DD, long texts cut at 200 characters)',
  }),
  type: CellTypeSchema,
});
export type SampleCell = Static<typeof SampleCellSchema>;

/** A column under a header row. */
export const SheetHeaderSchema = Type.Object({
  column: Type.String({ description: 'The column letter(s): what a mapping names', examples: ['A', 'AB'] }),
  name: Type.String({ description: 'The header text (empty for a column without a header)' }),
  duplicate: Type.Boolean({ description: 'Another column of this header row has the same name' }),
});

/** A sheet seen from one header row. */
export const SheetViewSchema = Type.Object({
  sheet: Type.String(),
  rows: Type.Integer({ minimum: 0, description: 'Rows of the sheet (its last non-empty row number)' }),
  headerRow: Type.Union([Type.Integer({ minimum: 1 }), Type.Null()], {
    description:
      'The header row this view uses (on upload: the guessed one; null when no row looks like headers)',
  }),
  headers: Type.Array(SheetHeaderSchema),
  samples: Type.Array(
    Type.Object({ row: Type.Integer({ minimum: 1 }), cells: Type.Array(SampleCellSchema) }),
    { description: 'Up to 20 non-empty rows under the header row, one cell per header column' },
  ),
});
export type SheetView = Static<typeof SheetViewSchema>;

/** What the upload's read found in one sheet (stored): its first rows and its size. */
export interface SheetAnalysis {
  name: string;
  /** Last non-empty row number. */
  rows: number;
  /** Non-empty rows. */
  dataRows: number;
  /** The first {@link PREVIEW_ROWS} rows as sample cells (index 0 is row 1). */
  preview: SampleCell[][];
  guessedHeaderRow: number | null;
}

/** Rows of each sheet kept from the upload for header guesses and `GET …/sheets/{sheet}`. */
export const PREVIEW_ROWS = 120;
/** Highest header row a run or a sheet view may choose (the preview must hold 20 samples under it). */
export const MAX_HEADER_ROW = 100;

/** A product field a column may fill. */
export const ProductFieldSchema = Type.Union([
  Type.Literal('name'),
  Type.Literal('description'),
  Type.Literal('sku'),
  Type.Literal('unitPrice'),
  Type.Literal('currency'),
  Type.Literal('unitCode'),
  Type.Literal('vatRate'),
]);
export type ProductField = Static<typeof ProductFieldSchema>;

const ColumnSchema = Type.String({ pattern: '^[A-Z]{1,3}$', description: 'Column letter(s)' });

/** Where one column goes. */
export const ColumnMappingSchema = Type.Union([
  Type.Object(
    { column: ColumnSchema, target: ProductFieldSchema },
    { additionalProperties: false, title: 'ColumnToField' },
  ),
  Type.Object(
    {
      column: ColumnSchema,
      target: Type.Literal('attribute'),
      attribute: Type.Object(
        {
          key: Type.String({ pattern: '^[A-Za-z][A-Za-z0-9_]{0,63}$' }),
          type: AttributeTypeSchema,
          label: Type.String({ minLength: 1, maxLength: 100, pattern: '\\S' }),
          showOnInvoice: Type.Optional(Type.Boolean({ description: 'Default false' })),
          options: Type.Optional(
            Type.Array(Type.String({ minLength: 1, maxLength: 200 }), { minItems: 1, maxItems: 200 }),
          ),
        },
        { additionalProperties: false },
      ),
    },
    { additionalProperties: false, title: 'ColumnToAttribute' },
  ),
  Type.Object(
    { column: ColumnSchema, target: Type.Literal('ignore') },
    { additionalProperties: false, title: 'ColumnIgnored' },
  ),
]);
export type ColumnMapping = Static<typeof ColumnMappingSchema>;

const SheetMappingProperties = {
  sheet: Type.String({ minLength: 1, description: 'The sheet name (a CSV has one, named after the file)' }),
  headerRow: Type.Integer({ minimum: 1, maximum: MAX_HEADER_ROW }),
  columns: Type.Array(ColumnMappingSchema, {
    minItems: 1,
    maxItems: 500,
    description: 'Columns not listed are ignored (not imported)',
  }),
};

/** Body of `POST /v1/imports/{id}/run`. */
export const ImportRunSchema = Type.Object(
  {
    mode: Type.Union([Type.Literal('into-category'), Type.Literal('category-per-sheet')]),
    categoryId: Type.Optional(IdSchema),
    parentId: Type.Optional(IdSchema),
    sheets: Type.Array(
      Type.Object(
        {
          ...SheetMappingProperties,
          categoryName: Type.Optional(Type.String({ minLength: 1, maxLength: 200, pattern: '\\S' })),
        },
        { additionalProperties: false },
      ),
      { minItems: 1, maxItems: 100 },
    ),
    matchBy: Type.Union([Type.Literal('sku'), Type.Literal('none')], { default: 'none' }),
    decimalSeparator: Type.Optional(
      Type.Union([Type.Literal('.'), Type.Literal(',')], {
        default: '.',
        description: 'How numbers written as text separate decimals: `,` reads `1.234,56` as 1234.56',
      }),
    ),
    dateOrder: Type.Optional(
      Type.Union([Type.Literal('DMY'), Type.Literal('MDY')], {
        default: 'DMY',
        description: 'How dates written as text (`01/02/2025`) are read; YYYY-MM-DD is always accepted',
      }),
    ),
    defaultCurrency: Type.Optional(
      Type.String({ pattern: '^[A-Z]{3}$', description: 'Currency of rows without a currency column/value' }),
    ),
  },
  { additionalProperties: false },
);
export type ImportRun = Static<typeof ImportRunSchema>;

/** A sheet of the stored plan: where its rows go and how its columns convert. */
export interface PlannedSheet {
  sheet: string;
  headerRow: number;
  categoryId: string;
  columns: ColumnMapping[];
}

/** The stored plan of a run: resolved categories, the mapping and the reading options. */
export interface ImportPlan {
  mode: ImportRun['mode'];
  sheets: PlannedSheet[];
  matchBy: 'sku' | 'none';
  decimalSeparator: '.' | ',';
  dateOrder: 'DMY' | 'MDY';
  defaultCurrency?: string;
}

/** The import statuses. */
export const ImportStatusSchema = Type.Union([
  Type.Literal('uploaded'),
  Type.Literal('mapped'),
  Type.Literal('running'),
  Type.Literal('completed'),
  Type.Literal('failed'),
  Type.Literal('cancelled'),
]);

/** One row error. */
export const ImportRowErrorSchema = Type.Object({
  sheet: Type.String(),
  row: Type.Integer({ minimum: 1 }),
  column: Type.Optional(Type.String({ description: 'The column letter(s), when one column is at fault' })),
  message: Type.String(),
});

/** The answer of `POST /v1/imports`. */
export const ImportUploadedSchema = Type.Object({
  id: IdSchema,
  status: ImportStatusSchema,
  format: Type.Union([Type.Literal('csv'), Type.Literal('xlsx')]),
  fileName: Type.String(),
  size: Type.Integer(),
  expiresAt: DateTimeSchema,
  sheets: Type.Array(SheetViewSchema),
});

/** `GET /v1/imports/{id}`. */
export const ImportSchema = Type.Object({
  id: IdSchema,
  status: ImportStatusSchema,
  format: Type.Union([Type.Literal('csv'), Type.Literal('xlsx')]),
  fileName: Type.String(),
  size: Type.Integer(),
  sheets: Type.Array(Type.Object({ sheet: Type.String(), rows: Type.Integer() })),
  mode: Type.Optional(Type.String()),
  matchBy: Type.Optional(Type.String()),
  categoryIds: Type.Optional(Type.Array(IdSchema)),
  progress: Type.Object({
    totalRows: Type.Integer({ description: 'Data rows to read (non-empty rows under the header rows)' }),
    processedRows: Type.Integer(),
    percent: Type.Integer({ minimum: 0, maximum: 100 }),
  }),
  counts: Type.Object({
    created: Type.Integer(),
    updated: Type.Integer(),
    unchanged: Type.Integer({ description: 'Rows that matched a product by SKU and changed nothing' }),
    skipped: Type.Integer({ description: 'Empty rows' }),
    failed: Type.Integer(),
  }),
  errors: Type.Array(ImportRowErrorSchema, { description: 'The first 1,000 row errors' }),
  errorCount: Type.Integer(),
  failure: Type.Optional(Type.String({ description: 'Why a failed import stopped' })),
  expiresAt: DateTimeSchema,
  createdAt: DateTimeSchema,
  startedAt: Type.Optional(DateTimeSchema),
  finishedAt: Type.Optional(DateTimeSchema),
});
export type ImportView = Static<typeof ImportSchema>;

export const ImportIdParamsSchema = Type.Object({ id: IdSchema });
export const SheetParamsSchema = Type.Object({ id: IdSchema, sheet: Type.String({ minLength: 1 }) });
export const SheetQuerySchema = Type.Object({
  headerRow: Type.Optional(Type.Integer({ minimum: 1, maximum: MAX_HEADER_ROW })),
});
