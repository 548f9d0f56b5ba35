// fontkit (pdfkit's own font engine) ships no types; only the one call used here is declared.
declare module 'fontkit' {
  /** A parsed font; pdfkit accepts it wherever it takes a font file. */
  export interface Font {
    layout(text: string): unknown;
    postscriptName: string;
  }
  export function create(buffer: Uint8Array, postscriptName?: string): Font;
}
