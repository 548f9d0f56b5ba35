/** Public HTTP schemas of the invoicing service. */
export {};
