/** Public HTTP schemas of the catalog service. */
export {};
