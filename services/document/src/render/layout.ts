/** Page geometry, faces and colours shared by the parts of the invoice layout. */

/** The PDF document type from pdfkit's typings. */
export type Doc = PDFKit.PDFDocument;

/** A4 in points, with the margins the content keeps to. */
export const PAGE = {
  size: 'A4',
  width: 595.28,
  height: 841.89,
  margins: { top: 50, bottom: 60, left: 50, right: 50 },
} as const;

export const LEFT = PAGE.margins.left;
export const CONTENT_WIDTH = PAGE.width - PAGE.margins.left - PAGE.margins.right;
export const CONTENT_BOTTOM = PAGE.height - PAGE.margins.bottom;

/** Registered font names. */
export const FONT = { regular: 'Regular', bold: 'Bold' } as const;

export const COLOR = { text: '#111111', muted: '#5a5a5a', rule: '#c8c8c8', fill: '#f0f0f0' } as const;

/** Starts a new page when `height` points do not fit below the cursor; true when it did. */
export function ensureSpace(doc: Doc, height: number): boolean {
  if (doc.y + height <= CONTENT_BOTTOM) return false;
  doc.addPage();
  doc.x = LEFT;
  doc.y = PAGE.margins.top;
  return true;
}

/** Draws a horizontal rule across `width` points at `y`. */
export function rule(doc: Doc, y: number, x: number = LEFT, width: number = CONTENT_WIDTH): void {
  doc
    .save()
    .moveTo(x, y)
    .lineTo(x + width, y)
    .lineWidth(0.5)
    .strokeColor(COLOR.rule)
    .stroke()
    .restore();
}
