import { PGlite } from '@electric-sql/pglite';

/**
 * PGlite's startup parameters with PostgreSQL's memory sized for an embedded database. The default 128 MB of shared
 * buffers are touched as soon as PGlite starts, which made the database the largest part of `npm start` (~300 MB
 * resident when idle); its tables are small and the operating system caches their files anyway.
 */
export const EMBEDDED_START_PARAMS = [...PGlite.defaultStartParams, '-c', 'shared_buffers=16MB'];
