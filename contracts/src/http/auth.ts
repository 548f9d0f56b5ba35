/** Public HTTP schemas of the auth service. */
export {};
