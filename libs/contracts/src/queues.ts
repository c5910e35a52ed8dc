/**
 * Queue names are part of the data in Redis, not just code: a job waiting in `csv-import`
 * stays there under that name. Renaming a queue strands every job in flight, so a rename needs
 * a drain-then-deploy, never a casual edit.
 */
export const QUEUE_PREFIX = 'marquee';
