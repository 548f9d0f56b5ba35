/** The name of a CSV's only sheet: its file name without the extension. */
export function csvSheetName(fileName: string): string {
  return fileName.replace(/\.csv$/i, '') || 'csv';
}
