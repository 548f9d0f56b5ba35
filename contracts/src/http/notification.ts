/** Public HTTP schemas of the notification service. */
export {};
