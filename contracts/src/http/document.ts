/** Public HTTP schemas of the document service. */
export {};
