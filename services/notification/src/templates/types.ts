/** What a template produces. */
export interface RenderedEmail {
  subject: string;
  text: string;
  html: string;
}
